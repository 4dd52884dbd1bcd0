package org.funtoo.amibuilder.lambdas.helper;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Cleanup wait loop: until no instance of the build is left but terminated ones. Volumes, the security group and
 * the subnet stay in use until then, so deleting them earlier would only collect DependencyViolations.
 */
public final class CheckInstancesTerminatedHandler extends Handler {
    public static final long ESTIMATE_SECONDS = 10;
    private final Ec2Client ec2;
    private final Clock clock;

    public CheckInstancesTerminatedHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckInstancesTerminatedHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        List<Instance> remaining = TerminateInstancesHandler.instancesOfBuild(ec2, doc.config().buildId(),
                        doc.resources()).stream()
                .filter(i -> !"terminated".equals(i.state().nameAsString()))
                .toList();
        if (remaining.isEmpty()) {
            return poll.done("terminated");
        }
        Map<String, Object> waiting = poll.waiting(remaining.get(0).state().nameAsString(), ESTIMATE_SECONDS);
        waiting.put("remaining", remaining.stream().map(Instance::instanceId).toList());
        return waiting;
    }
}
