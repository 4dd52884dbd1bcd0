package org.funtoo.amibuilder.statemachine;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.stepfunctions.JitterType;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.TaskStateBase;

/**
 * The retry policy of every Lambda Task. Only errors that heal by waiting are retried: the Lambda service's own
 * errors and throttles, and AWS SDK exceptions as the Java runtime reports them (their fully qualified class name).
 * EC2 reports throttling ({@code RequestLimitExceeded}) and 5xx as a plain {@code Ec2Exception} whatever the error
 * code, so every Ec2Exception is retried (SSM, EventBridge and SNS model throttling and server errors as classes of
 * their own, listed by name): a bounded number of attempts with exponential backoff capped at
 * {@link #AWS_MAX_DELAY} and full jitter, so that parallel builds hitting the same limit spread out instead of
 * retrying in lockstep. The named workflow errors ({@link #NAMED_ERRORS}) appear in no retrier: they go straight
 * to the catch.
 */
public final class Retries {
    public static final List<String> LAMBDA_SERVICE_ERRORS = List.of(
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException");

    public static final List<String> AWS_TRANSIENT_ERRORS = List.of(
            "software.amazon.awssdk.services.ec2.model.Ec2Exception",
            "software.amazon.awssdk.services.ssm.model.SsmException",
            // SSM models its throttling and 5xx as classes of their own, and the runtime reports the exact class
            "software.amazon.awssdk.services.ssm.model.ThrottlingException",
            "software.amazon.awssdk.services.ssm.model.InternalServerErrorException",
            "software.amazon.awssdk.services.eventbridge.model.EventBridgeException",
            "software.amazon.awssdk.services.eventbridge.model.ThrottlingException",
            "software.amazon.awssdk.services.eventbridge.model.InternalException",
            "software.amazon.awssdk.services.sns.model.SnsException",
            "software.amazon.awssdk.services.sns.model.ThrottledException",
            "software.amazon.awssdk.services.sns.model.InternalErrorException",
            "software.amazon.awssdk.core.exception.SdkClientException",
            "software.amazon.awssdk.core.exception.ApiCallTimeoutException",
            "software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException");

    /** The errors the handlers throw on purpose (lambdas ErrorName); never retried. */
    public static final List<String> NAMED_ERRORS = List.of(
            "InvalidInput", "PreflightFailed", "NetworkInvalid", "HelperFailed", "BootstrapFailed",
            "SnapshotFailed", "ImageFailed", "SmokeTestFailed", "PublishFailed", "CleanupFailed");

    static final Duration LAMBDA_INTERVAL = Duration.seconds(2);
    static final int LAMBDA_MAX_ATTEMPTS = 6;
    static final Duration LAMBDA_MAX_DELAY = Duration.seconds(30);
    static final Duration AWS_INTERVAL = Duration.seconds(5);
    static final int AWS_MAX_ATTEMPTS = 8;
    static final Duration AWS_MAX_DELAY = Duration.seconds(60);

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
                .errors(AWS_TRANSIENT_ERRORS)
                .interval(AWS_INTERVAL)
                .backoffRate(2)
                .maxAttempts(AWS_MAX_ATTEMPTS)
                .maxDelay(AWS_MAX_DELAY)
                .jitterStrategy(JitterType.FULL)
                .build());
        return task;
    }
}
