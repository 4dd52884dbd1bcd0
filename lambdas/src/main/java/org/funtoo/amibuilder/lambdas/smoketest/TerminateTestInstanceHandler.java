package org.funtoo.amibuilder.lambdas.smoketest;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.helper.TerminateInstancesHandler;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Smoke test, last step (the pair of {@code LaunchTestInstanceHandler}): terminate the test instance, found by its
 * id and by its tags, while the helper keeps running for the build's own cleanup. Its root volume goes with it
 * (delete on termination). {@code CheckTestInstanceTerminatedHandler} then waits by tag. On a failed smoke test the
 * catch path's {@code TerminateInstancesHandler} ends it instead, together with the helper.
 */
public final class TerminateTestInstanceHandler extends Handler {
    private final Ec2Client ec2;

    public TerminateTestInstanceHandler() {
        this(HandlerDependencies.lambda());
    }

    public TerminateTestInstanceHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.SmokeTestFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        String buildId = doc.config().buildId();
        Resources resources = doc.resources();
        for (Instance instance : testInstances(ec2, buildId, resources)) {
            if (TerminateInstancesHandler.ALIVE.contains(instance.state().nameAsString())) {
                Cleanup.deleteIgnoringGone(() -> ec2.terminateInstances(r -> r.instanceIds(instance.instanceId())));
            }
        }
        return resources.without(Resources.TEST_INSTANCE_ID).toMap();
    }

    /** The build's managed instances whose Name says they are its test instance. */
    static List<Instance> testInstances(Ec2Client ec2, String buildId, Resources resources) {
        String name = Tags.name(buildId, LaunchTestInstanceHandler.PURPOSE);
        return TerminateInstancesHandler.instancesOfBuild(ec2, buildId, resources).stream()
                .filter(i -> Tags.value(i.tags(), Tags.NAME).filter(name::equals).isPresent())
                .toList();
    }
}
