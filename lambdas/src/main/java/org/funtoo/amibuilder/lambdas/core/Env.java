package org.funtoo.amibuilder.lambdas.core;

import java.util.function.Function;

/** The environment variables the stack sets on every function. */
public final class Env {
    public static final String HELPER_INSTANCE_PROFILE_ARN = "HELPER_INSTANCE_PROFILE_ARN";
    public static final String BOOTSTRAP_DOCUMENT_NAME = "BOOTSTRAP_DOCUMENT_NAME";
    public static final String BOOTSTRAP_LOG_GROUP = "BOOTSTRAP_LOG_GROUP";
    /** Optional: the bucket that also keeps the bootstrap command's output ({@code ""}: CloudWatch only). */
    public static final String BOOTSTRAP_OUTPUT_S3_BUCKET = "BOOTSTRAP_OUTPUT_S3_BUCKET";
    public static final String AWS_REGION = "AWS_REGION";
    /** Whose images a helper may boot, comma-separated: {@code amazon} and account ids (stack: helperImageOwners). */
    public static final String HELPER_IMAGE_OWNERS = "HELPER_IMAGE_OWNERS";
    /** The SNS topic the notification handlers publish build results to. */
    public static final String NOTIFICATION_TOPIC_ARN = "NOTIFICATION_TOPIC_ARN";

    private Env() {
    }

    /** A variable of the process environment that must be set ({@link #require(Function, String)}). */
    public static String require(String name) {
        return require(System::getenv, name);
    }

    /** A missing variable is a deployment bug: fail the cold start loudly rather than a build later. */
    static String require(Function<String, String> environment, String name) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    /** An optional setting: {@code ""} when the stack leaves it unset. */
    static String optional(Function<String, String> environment, String name) {
        String value = environment.apply(name);
        return value == null ? "" : value.trim();
    }
}
