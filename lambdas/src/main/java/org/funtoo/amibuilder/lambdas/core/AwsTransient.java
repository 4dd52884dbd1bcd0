package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code AwsTransient}; see {@link ErrorName#AwsTransient}. Made by {@link ErrorName#failure}. */
public final class AwsTransient extends BuildFailure {
    AwsTransient(String message) {
        super(ErrorName.AwsTransient, message);
    }
}
