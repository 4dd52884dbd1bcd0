package org.funtoo.amibuilder.lambdas.core;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Reading AWS error codes, which is how EC2 and SSM say what went wrong. */
public final class AwsErrors {
    private AwsErrors() {
    }

    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                : e.awsErrorDetails().errorCode();
    }

    /** {@code InvalidVpcID.NotFound}, {@code InvalidGroup.NotFound}, ...: the thing is already gone. */
    public static boolean notFound(AwsServiceException e) {
        String code = code(e);
        return code.endsWith("NotFound");
    }
}
