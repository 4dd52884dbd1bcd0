package org.funtoo.amibuilder.lambdas.smoketest;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;

/**
 * Smoke-test wait loop: until both EC2 status checks of the test instance are {@code ok}. The instance check
 * (reachability of the OS) passes only if the kernel, the NVMe root and the network came up; the system check
 * covers the host. Either check {@code impaired}, the instance stopping or terminating, or no verdict by the loop's
 * deadline fails the build with {@code SmokeTestFailed} and the last lines of the serial console.
 */
public final class CheckTestInstanceStatusHandler extends Handler {
    static final long PENDING_ESTIMATE_SECONDS = 15;
    /** Status checks report a few minutes after boot at the earliest. */
    static final long INITIALIZING_ESTIMATE_SECONDS = 30;
    private final Ec2Client ec2;
    private final Clock clock;

    public CheckTestInstanceStatusHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckTestInstanceStatusHandler(HandlerDependencies deps) {
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
        String instanceId = doc.resources().require(Resources.TEST_INSTANCE_ID);
        boolean nitro = ConsoleOutput.nitro(doc.resources());
        Optional<InstanceStatus> found = status(instanceId);
        if (found.isEmpty()) {
            // RunInstances is eventually consistent: a fresh id may be unknown for a few seconds
            return waiting(poll, nitro, instanceId, "unknown", PENDING_ESTIMATE_SECONDS);
        }
        // its console is read when it fails: only this build's instance (a direct invocation could name another's)
        BuildOwnership.requireInstance(ec2, instanceId, doc.config().buildId(), "resources.testInstanceId");
        InstanceStatus status = found.get();
        String state = status.instanceState().nameAsString();
        switch (state) {
            case "pending":
                return waiting(poll, nitro, instanceId, state, PENDING_ESTIMATE_SECONDS);
            case "running":
                String instanceCheck = status.instanceStatus().statusAsString();
                String systemCheck = status.systemStatus().statusAsString();
                String checks = "instance status " + instanceCheck + ", system status " + systemCheck;
                if ("ok".equals(instanceCheck) && "ok".equals(systemCheck)) {
                    return poll.done("ok");
                }
                if ("impaired".equals(instanceCheck) || "impaired".equals(systemCheck)) {
                    throw failure(nitro, instanceId, "failed its status checks (" + checks + ")");
                }
                return waiting(poll, nitro, instanceId, checks, INITIALIZING_ESTIMATE_SECONDS);
            default:
                throw failure(nitro, instanceId, "is " + state + " instead of passing its status checks");
        }
    }

    private Map<String, Object> waiting(PollState poll, boolean nitro, String instanceId, String state, long estimateSeconds) {
        if (poll.pastDeadline()) {
            throw failure(nitro, instanceId, "did not pass its status checks within " + poll.elapsed().getSeconds()
                    + " s (" + state + ")");
        }
        return poll.waiting(state, estimateSeconds);
    }

    private BuildFailure failure(boolean nitro, String instanceId, String what) {
        return BuildFailure.of(ErrorName.SmokeTestFailed, "test instance " + instanceId + " " + what
                + ". Last console lines:\n" + ConsoleOutput.tailOf(ec2, instanceId, nitro));
    }

    private Optional<InstanceStatus> status(String instanceId) {
        try {
            return ec2.describeInstanceStatus(r -> r.instanceIds(instanceId).includeAllInstances(true))
                    .instanceStatuses().stream().findFirst();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
