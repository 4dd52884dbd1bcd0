package org.funtoo.amibuilder.lambdas.helper;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Cleanup, first step: terminate this build's helper and test instances, including ones still pending. The
 * instance ids leave {@code resources}; {@code CheckInstancesTerminatedHandler} then waits by tag.
 */
public final class TerminateInstancesHandler extends Handler {
    public static final Set<String> ALIVE = Set.of("pending", "running", "stopping", "stopped");
    private final Ec2Client ec2;

    public TerminateInstancesHandler() {
        this(HandlerDependencies.lambda());
    }

    public TerminateInstancesHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        String buildId = doc.config().buildId();
        Resources resources = doc.resources();
        for (Instance instance : instancesOfBuild(ec2, buildId, resources)) {
            if (ALIVE.contains(instance.state().nameAsString())) {
                Cleanup.deleteIgnoringGone(() -> ec2.terminateInstances(r -> r.instanceIds(instance.instanceId())));
            }
        }
        return resources.without(Resources.INSTANCE_ID).without(Resources.TEST_INSTANCE_ID).toMap();
    }

    /** Managed instances of the build: by the ids in {@code resources} and by tag. */
    public static List<Instance> instancesOfBuild(Ec2Client ec2, String buildId, Resources resources) {
        List<String> ids = Stream.of(Resources.INSTANCE_ID, Resources.TEST_INSTANCE_ID)
                .flatMap(k -> resources.get(k).stream()).toList();
        return Cleanup.targets(filters -> describe(ec2, filters), Instance::instanceId, Instance::tags,
                "instance-id", ids, buildId);
    }

    private static List<Instance> describe(Ec2Client ec2, List<Filter> filters) {
        return ec2.describeInstances(r -> r.filters(filters)).reservations().stream()
                .flatMap(r -> r.instances().stream()).toList();
    }
}
