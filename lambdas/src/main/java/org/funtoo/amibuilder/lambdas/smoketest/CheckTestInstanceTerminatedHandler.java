package org.funtoo.amibuilder.lambdas.smoketest;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.helper.CheckInstancesTerminatedHandler;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Smoke-test wait loop: until the test instance is terminated. {@code CheckInstancesTerminatedHandler} waits for
 * every instance of the build, and the helper still runs at this point (it goes in the build's cleanup), so this
 * loop looks at the test instance alone, by its tags.
 */
public final class CheckTestInstanceTerminatedHandler extends Handler {
    private final Ec2Client ec2;
    private final Clock clock;

    public CheckTestInstanceTerminatedHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckTestInstanceTerminatedHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.SmokeTestFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        List<Instance> remaining = TerminateTestInstanceHandler.testInstances(ec2, doc.config().buildId(),
                        doc.resources()).stream()
                .filter(i -> !"terminated".equals(i.state().nameAsString()))
                .toList();
        if (remaining.isEmpty()) {
            return poll.done("terminated");
        }
        return poll.waiting(remaining.get(0).state().nameAsString(),
                CheckInstancesTerminatedHandler.ESTIMATE_SECONDS);
    }
}
