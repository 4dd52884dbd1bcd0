package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code AwsNotReady}; see {@link ErrorName#AwsNotReady}. Made by {@link ErrorName#failure}. */
public final class AwsNotReady extends BuildFailure {
    AwsNotReady(String message) {
        super(ErrorName.AwsNotReady, message);
    }
}
