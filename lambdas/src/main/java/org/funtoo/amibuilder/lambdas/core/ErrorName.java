package org.funtoo.amibuilder.lambdas.core;

/**
 * The errors the workflow branches on. Each has a class of the same name in the unnamed package, so that the
 * Lambda Java runtime (which reports the exception's fully qualified class name) reports exactly this name.
 */
public enum ErrorName {
    /** The execution input is wrong; nothing was created. */
    InvalidInput,
    /** A precondition in the account does not hold (instance type not offered, image name taken, AMI unusable). */
    PreflightFailed,
    /** The given subnet / security group cannot be used (different VPCs, no route to the internet, ...). */
    NetworkInvalid,
    /** The helper instance stopped or terminated unexpectedly. */
    HelperFailed,
    /** The bootstrap command ended in Failed / TimedOut / Cancelled; the reason is in the message. */
    BootstrapFailed,
    /** The snapshot ended in state error. */
    SnapshotFailed,
    /** The image ended in state failed / invalid. */
    ImageFailed,
    /** The AMI did not boot or its first-boot marker was not seen. */
    SmokeTestFailed,
    /** Publishing (parameter, sharing, copies) failed. */
    PublishFailed,
    /** Cleanup could not remove something (e.g. a resource still in use after its wait). */
    CleanupFailed,
    /**
     * An AWS error the SDK classifies as retryable (throttling, 5xx, clock skew, client-side): the state machine
     * retries the Task with backoff and jitter ({@link AwsFailures}).
     */
    AwsTransient,
    /**
     * An AWS error that heals by waiting (a quota or capacity, a dependency being released): the state machine
     * retries the Task in a long loop with a deadline, then fails the build with it ({@link AwsFailures}).
     */
    AwsNotReady;
}
