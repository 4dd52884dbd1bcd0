package org.funtoo.amibuilder.lambdas.helper;

import java.time.Clock;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.PingStatus;

/**
 * Wait loop: until the helper's SSM agent reports Online. An agent that never does (no route out, no instance
 * profile) ends in the loop's timeout; the existing-network preflight catches the usual causes earlier.
 */
public final class CheckSsmAgentHandler extends Handler {
    static final long ESTIMATE_SECONDS = 10;
    private final SsmClient ssm;
    private final Clock clock;

    public CheckSsmAgentHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckSsmAgentHandler(HandlerDependencies deps) {
        this.ssm = deps.ssm();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.HelperFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        String instanceId = doc.resources().require(Resources.INSTANCE_ID);
        String status = ssm.describeInstanceInformation(r -> r.filters(f -> f.key("InstanceIds").values(instanceId)))
                .instanceInformationList().stream()
                .filter(i -> instanceId.equals(i.instanceId()))
                .map(InstanceInformation::pingStatusAsString).findFirst()
                .orElse("NotRegistered");
        return PingStatus.ONLINE.toString().equals(status) ? poll.done(status) : poll.waiting(status, ESTIMATE_SECONDS);
    }
}
