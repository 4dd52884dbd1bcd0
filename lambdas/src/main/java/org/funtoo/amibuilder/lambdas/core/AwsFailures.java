package org.funtoo.amibuilder.lambdas.core;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryPolicy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryPolicyContext;
import software.amazon.awssdk.core.retry.RetryUtils;

/**
 * The one error contract of the handlers: what an AWS error becomes when it leaves a handler.
 *
 * <ol>
 *   <li>{@link ErrorName#AwsTransient}: throttling, 5xx, clock skew and client-side failures, exactly as the SDK
 *       classifies them (the default retry condition of {@link AwsRetryPolicy}, {@link RetryUtils#isThrottlingException},
 *       {@link RetryUtils#isClockSkewException}, {@link SdkException#retryable()}, {@link SdkClientException}).
 *       The state machine retries it with backoff and jitter.</li>
 *   <li>{@link ErrorName#AwsNotReady}: errors that heal by waiting ({@link #HEAL_BY_WAITING}): a quota another build
 *       is using, capacity AWS lacks for now, a dependency still being released, an agent not yet registered. The
 *       state machine retries it in a long loop with a deadline, then the build fails with it.</li>
 *   <li>every other AWS error: the handler's own named error at once, naming the AWS code.</li>
 * </ol>
 */
public final class AwsFailures {
    /**
     * Codes that heal by waiting, not by retrying soon: EC2's quota and capacity errors
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html), and the two eventual-consistency
     * errors the workflow meets (a teardown step after its dependent's deletion, SSM before the agent registered).
     */
    public static final Set<String> HEAL_BY_WAITING = Set.of(
            "InsufficientInstanceCapacity", "InsufficientCapacity", "VcpuLimitExceeded", "InstanceLimitExceeded",
            "MaxSpotInstanceCountExceeded", "VpcLimitExceeded", "InternetGatewayLimitExceeded",
            "ResourceLimitExceeded", "DependencyViolation", "InvalidInstanceId");

    private AwsFailures() {
    }

    /**
     * Whether the SDK itself would retry this error: its default AWS retry condition (retryable and throttling
     * error codes, 5xx status codes, client-side I/O failures), and its exception checks for throttling and
     * clock skew.
     */
    @SuppressWarnings("deprecation") // the condition is the SDK's own classification, still what its policy uses
    public static boolean transientBySdk(SdkException e) {
        int status = e instanceof SdkServiceException s ? s.statusCode() : 0;
        RetryPolicyContext context = RetryPolicyContext.builder().exception(e).httpStatusCode(status)
                .retriesAttempted(0).build();
        return AwsRetryPolicy.defaultRetryCondition().shouldRetry(context) || e.retryable()
                || RetryUtils.isThrottlingException(e) || RetryUtils.isClockSkewException(e)
                || e instanceof SdkClientException;
    }

    /** The named error an AWS error leaves {@code handler} as; {@code failure} is the handler's own. */
    public static BuildFailure classify(SdkException e, ErrorName failure, String handler) {
        String code = e instanceof AwsServiceException a ? AwsErrors.code(a) : e.getClass().getSimpleName();
        String message = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && a.awsErrorDetails().errorMessage() != null ? a.awsErrorDetails().errorMessage() : e.getMessage();
        // first: EC2 answers InsufficientInstanceCapacity with a 500, which the SDK would retry for seconds only
        if (HEAL_BY_WAITING.contains(code)) {
            return BuildFailure.of(ErrorName.AwsNotReady, BuildFailure.raisedIn(handler, code + ": " + message));
        }
        if (transientBySdk(e)) {
            return BuildFailure.of(ErrorName.AwsTransient, BuildFailure.raisedIn(handler, code + ": " + message));
        }
        return BuildFailure.of(failure,
                BuildFailure.raisedIn(handler, "AWS refused the request: " + code + ": " + message));
    }
}
