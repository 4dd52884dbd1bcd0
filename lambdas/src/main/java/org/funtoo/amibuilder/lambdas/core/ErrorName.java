package org.funtoo.amibuilder.lambdas.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The errors the workflow branches on, declared once: each constant has an exception class of the same simple name
 * in this package, made by {@link #failure} (no reflection). The state machine's {@code ErrorEquals} and its final
 * Fail states are generated from this enum.
 *
 * <p>Lambda's Java runtime reports a thrown exception's {@code errorType} as the exception's fully qualified class
 * name ({@code java.lang.RuntimeException}, {@code com.fasterxml.jackson.databind.exc.InvalidFormatException} in
 * "AWS Lambda function errors in Java", https://docs.aws.amazon.com/lambda/latest/dg/java-exceptions.html), and
 * Step Functions matches {@code ErrorEquals} against that {@code errorType}. So Retry and Catch name
 * {@link #errorType()} ({@code org.funtoo.amibuilder.lambdas.core.BootstrapFailed}), and the Fail state that ends a
 * build shows the short {@link #name()} ({@code BootstrapFailed}).
 */
public enum ErrorName {
    /** The execution input is wrong; nothing was created. */
    InvalidInput(InvalidInput::new),
    /** A precondition in the account does not hold (instance type not offered, image name taken, AMI unusable). */
    PreflightFailed(PreflightFailed::new),
    /** The given subnet / security group cannot be used (different VPCs, no route to the internet, ...). */
    NetworkInvalid(NetworkInvalid::new),
    /** The helper instance stopped or terminated unexpectedly. */
    HelperFailed(HelperFailed::new),
    /** The bootstrap command ended in Failed / TimedOut / Cancelled; the reason is in the message. */
    BootstrapFailed(BootstrapFailed::new),
    /** The snapshot ended in state error. */
    SnapshotFailed(SnapshotFailed::new),
    /** The image ended in state failed / invalid. */
    ImageFailed(ImageFailed::new),
    /** The AMI did not boot or its first-boot marker was not seen. */
    SmokeTestFailed(SmokeTestFailed::new),
    /** Publishing (parameter, sharing, copies) failed. */
    PublishFailed(PublishFailed::new),
    /** Cleanup could not remove something (e.g. a resource still in use after its wait). */
    CleanupFailed(CleanupFailed::new),
    /**
     * An AWS error the SDK classifies as retryable (throttling, 5xx, clock skew, client-side): the state machine
     * retries the Task with backoff and jitter ({@link AwsFailures}).
     */
    AwsTransient(AwsTransient::new),
    /**
     * An AWS error that heals by waiting (a quota or capacity, a dependency being released): the state machine
     * retries the Task in a long loop with a deadline, then fails the build with it ({@link AwsFailures}).
     */
    AwsNotReady(AwsNotReady::new);

    private final Function<String, BuildFailure> make;

    ErrorName(Function<String, BuildFailure> make) {
        this.make = make;
    }

    /** The exception to throw: Step Functions sees it as {@link #errorType()}. */
    public BuildFailure failure(String message) {
        return make.apply(message);
    }

    /** What Lambda's Java runtime reports as the error's type: the class's fully qualified name. */
    public String errorType() {
        return ErrorName.class.getPackageName() + "." + name();
    }

    /** The named error a Lambda error's {@code errorType} (a Catch's {@code Error}) is, if it is one. */
    public static Optional<ErrorName> ofErrorType(String errorType) {
        return Arrays.stream(values()).filter(n -> n.errorType().equals(errorType)).findFirst();
    }
}
