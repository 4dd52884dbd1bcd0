package org.funtoo.amibuilder.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;

/**
 * One command on one instance. Its state is derived from the clock and the scripted outcome, and frozen once it
 * ends; what the instance does in between is only known when the simulated SSM looks ({@link #refresh}).
 *
 * <p>An instance that stops running while the script runs never reports back: like AWS, the invocation stays
 * InProgress until the command expires (delivery timeout + execution timeout after the request) and then ends
 * TimedOut / DeliveryTimedOut. EC2 tells only whether the instance runs now, not when it stopped, so when the
 * script's end has passed by the time the loss is first seen, the script is taken to have finished first.
 */
final class SsmInvocation {
    /** How long SSM takes to hand a command to the agent; GetCommandInvocation knows nothing before that. */
    static final Duration DELIVERY = Duration.ofSeconds(1);

    private final String instanceId;
    private final Instant requestedAt;
    private final Instant runningSinceAtSend;
    private final Duration executionTimeout;
    private final Instant expiresAt;
    private final CommandOutcome outcome;
    private final Duration scriptedDuration;

    private boolean lost;
    private CommandInvocationStatus finalStatus;
    private String finalDetails;
    private int responseCode = -1;
    private String stdout = "";
    private String stderr = "";
    private Instant endedAt;

    SsmInvocation(String instanceId, Instant requestedAt, Instant runningSinceAtSend, Duration executionTimeout,
                  Instant expiresAt, CommandOutcome outcome, Duration scriptedDuration) {
        this.instanceId = instanceId;
        this.requestedAt = requestedAt;
        this.runningSinceAtSend = runningSinceAtSend;
        this.executionTimeout = executionTimeout;
        this.expiresAt = expiresAt;
        this.outcome = outcome;
        this.scriptedDuration = scriptedDuration;
    }

    String instanceId() {
        return instanceId;
    }

    Instant deliveredAt() {
        return requestedAt.plus(DELIVERY);
    }

    /** Advances the lazily computed state to {@code now}, given when the instance (re)started running. */
    void refresh(Instant now, Optional<Instant> runningSince) {
        if (finalStatus != null) {
            return;
        }
        boolean alive = runningSince.isPresent() && runningSince.get().equals(runningSinceAtSend);
        Instant scriptEnd = deliveredAt().plus(scriptedDuration.compareTo(executionTimeout) <= 0
                ? scriptedDuration : executionTimeout);
        if (now.isBefore(deliveredAt())) {
            if (!alive) {
                end(CommandInvocationStatus.FAILED, "Undeliverable", -1, "", "", deliveredAt());
            }
            return;
        }
        if (!lost && !now.isBefore(scriptEnd)) {
            endAsScripted(scriptEnd);
            return;
        }
        if (!alive) {
            lost = true;
        }
        if (lost && !now.isBefore(expiresAt)) {
            end(CommandInvocationStatus.TIMED_OUT, "DeliveryTimedOut", -1, "", "", expiresAt);
        }
    }

    private void endAsScripted(Instant at) {
        if (scriptedDuration.compareTo(executionTimeout) > 0) {
            end(CommandInvocationStatus.TIMED_OUT, "ExecutionTimedOut", -1, outcome.stdout(), outcome.stderr(), at);
            return;
        }
        String details = switch (outcome.status()) {
            case SUCCESS -> "Success";
            case FAILED -> "Failed";
            case TIMED_OUT -> "ExecutionTimedOut";
            default -> "Cancelled";
        };
        end(outcome.status(), details, outcome.exitCode(), outcome.stdout(), outcome.stderr(), at);
    }

    /** CancelCommand: an invocation that has not ended is cancelled now. */
    void cancel(Instant now) {
        if (finalStatus == null) {
            end(CommandInvocationStatus.CANCELLED, "Cancelled", -1, "", "", now);
        }
    }

    private void end(CommandInvocationStatus status, String details, int code, String out, String err, Instant at) {
        finalStatus = status;
        finalDetails = details;
        responseCode = code;
        stdout = out;
        stderr = err;
        endedAt = at;
    }

    boolean visible(Instant now) {
        return !now.isBefore(deliveredAt());
    }

    boolean ended(Instant now) {
        return finalStatus != null && !now.isBefore(endedAt);
    }

    CommandInvocationStatus status(Instant now) {
        if (ended(now)) {
            return finalStatus;
        }
        return visible(now) ? CommandInvocationStatus.IN_PROGRESS : CommandInvocationStatus.PENDING;
    }

    String statusDetails(Instant now) {
        if (ended(now)) {
            return finalDetails;
        }
        return visible(now) ? "InProgress" : "Pending";
    }

    int responseCode(Instant now) {
        return ended(now) ? responseCode : -1;
    }

    String stdout(Instant now) {
        return ended(now) ? stdout : "";
    }

    String stderr(Instant now) {
        return ended(now) ? stderr : "";
    }

    Optional<Instant> endedAt(Instant now) {
        return ended(now) ? Optional.of(endedAt) : Optional.empty();
    }
}
