package org.funtoo.amibuilder.lambdas.helper;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Wait loop: until the helper is {@code running}. Then reports the target volume's id in
 * {@code poll.targetVolumeId} (the workflow copies it to {@code resources}). An instance that stops or terminates
 * instead (spot reclaimed, capacity, a bad AMI) is {@code HelperFailed}.
 */
public final class CheckHelperInstanceRunningHandler extends Handler {
    static final long PENDING_ESTIMATE_SECONDS = 15;
    private final Ec2Client ec2;
    private final Clock clock;

    public CheckHelperInstanceRunningHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckHelperInstanceRunningHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
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
        Optional<Instance> found = describe(instanceId);
        if (found.isEmpty()) {
            // RunInstances is eventually consistent: a fresh id may be unknown to Describe for a few seconds.
            return poll.waiting("unknown", PENDING_ESTIMATE_SECONDS);
        }
        Instance instance = found.get();
        String state = instance.state().nameAsString();
        switch (state) {
            case "pending":
                return poll.waiting(state, PENDING_ESTIMATE_SECONDS);
            case "running":
                String volumeId = instance.blockDeviceMappings().stream()
                        .filter(m -> LaunchHelperInstanceHandler.TARGET_DEVICE.equals(m.deviceName()))
                        .map(m -> m.ebs().volumeId()).findFirst()
                        .orElseThrow(() -> BuildFailure.of(ErrorName.HelperFailed, "helper " + instanceId
                                + " runs without its target volume at " + LaunchHelperInstanceHandler.TARGET_DEVICE));
                return poll.done(state, Map.of("targetVolumeId", volumeId));
            default:
                String reason = instance.stateReason() == null ? "" : ": " + instance.stateReason().message();
                throw BuildFailure.of(ErrorName.HelperFailed, "helper " + instanceId + " is " + state + reason);
        }
    }

    private Optional<Instance> describe(String instanceId) {
        try {
            return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
