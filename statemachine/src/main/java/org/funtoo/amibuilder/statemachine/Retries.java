package org.funtoo.amibuilder.statemachine;

import java.util.Arrays;
import java.util.List;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.stepfunctions.JitterType;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.TaskStateBase;

/**
 * The retry policy of every Lambda Task. Only errors that heal by waiting are retried: the Lambda service's own
 * errors and throttles, and the two named errors of the handlers' error contract (lambdas {@code core/AwsFailures}):
 * {@link #AWS_TRANSIENT} (throttling, 5xx, clock skew, client-side failures, as the AWS SDK classifies them) with
 * a bounded number of attempts, exponential backoff capped at {@link #AWS_MAX_DELAY} and full jitter, so that
 * parallel builds hitting the same limit spread out instead of retrying in lockstep; and {@link #AWS_NOT_READY}
 * (a quota another build holds, capacity AWS lacks for now, a dependency still being released) in a long loop
 * whose delays add up to {@link #NOT_READY_DEADLINE}, after which the build fails with {@code AwsNotReady} and the
 * AWS error in its cause. Every other AWS error is already a named workflow error ({@link #NAMED_ERRORS}): those
 * appear in no retrier and go straight to the catch.
 */
public final class Retries {
    public static final List<String> LAMBDA_SERVICE_ERRORS = List.of(
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException");

    /** {@link ErrorName#AwsTransient} as Step Functions sees it. */
    public static final String AWS_TRANSIENT = ErrorName.AwsTransient.errorType();
    /** {@link ErrorName#AwsNotReady} as Step Functions sees it. */
    public static final String AWS_NOT_READY = ErrorName.AwsNotReady.errorType();

    /** The errors the handlers throw on purpose, as Step Functions sees them; never retried. */
    public static final List<String> NAMED_ERRORS = Arrays.stream(ErrorName.values())
            .filter(n -> n != ErrorName.AwsTransient && n != ErrorName.AwsNotReady)
            .map(ErrorName::errorType)
            .toList();

    static final Duration LAMBDA_INTERVAL = Duration.seconds(2);
    static final int LAMBDA_MAX_ATTEMPTS = 6;
    static final Duration LAMBDA_MAX_DELAY = Duration.seconds(30);
    static final Duration AWS_INTERVAL = Duration.seconds(5);
    static final int AWS_MAX_ATTEMPTS = 8;
    static final Duration AWS_MAX_DELAY = Duration.seconds(60);
    static final java.time.Duration NOT_READY_DEADLINE = java.time.Duration.ofHours(3);
    static final int NOT_READY_INTERVAL_SECONDS = 30;
    static final double NOT_READY_BACKOFF = 1.5;
    static final int NOT_READY_MAX_DELAY_SECONDS = 300;
    /** Attempts whose delays (without jitter) first add up to {@link #NOT_READY_DEADLINE}. */
    static final int NOT_READY_MAX_ATTEMPTS = attemptsFor(NOT_READY_DEADLINE);

    private Retries() {
    }

    /** Adds both retriers to a Lambda Task. */
    static <T extends TaskStateBase> T applyTo(T task) {
        task.addRetry(RetryProps.builder()
                .errors(LAMBDA_SERVICE_ERRORS)
                .interval(LAMBDA_INTERVAL)
                .backoffRate(2)
                .maxAttempts(LAMBDA_MAX_ATTEMPTS)
                .maxDelay(LAMBDA_MAX_DELAY)
                .jitterStrategy(JitterType.FULL)
                .build());
        task.addRetry(RetryProps.builder()
                .errors(List.of(AWS_TRANSIENT))
                .interval(AWS_INTERVAL)
                .backoffRate(2)
                .maxAttempts(AWS_MAX_ATTEMPTS)
                .maxDelay(AWS_MAX_DELAY)
                .jitterStrategy(JitterType.FULL)
                .build());
        task.addRetry(RetryProps.builder()
                .errors(List.of(AWS_NOT_READY))
                .interval(Duration.seconds(NOT_READY_INTERVAL_SECONDS))
                .backoffRate(NOT_READY_BACKOFF)
                .maxAttempts(NOT_READY_MAX_ATTEMPTS)
                .maxDelay(Duration.seconds(NOT_READY_MAX_DELAY_SECONDS))
                .build());
        return task;
    }

    /** The sum of the first {@code n} delays of the not-ready loop, without jitter. */
    static java.time.Duration notReadyWaitOf(int attempts) {
        double delay = NOT_READY_INTERVAL_SECONDS;
        double total = 0;
        for (int i = 0; i < attempts; i++) {
            total += Math.min(delay, NOT_READY_MAX_DELAY_SECONDS);
            delay *= NOT_READY_BACKOFF;
        }
        return java.time.Duration.ofSeconds(Math.round(total));
    }

    private static int attemptsFor(java.time.Duration deadline) {
        int attempts = 1;
        while (notReadyWaitOf(attempts).compareTo(deadline) < 0) {
            attempts++;
        }
        return attempts;
    }
}
