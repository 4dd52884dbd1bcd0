package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code HelperFailed}; see {@link ErrorName#HelperFailed}. Made by {@link ErrorName#failure}. */
public final class HelperFailed extends BuildFailure {
    HelperFailed(String message) {
        super(ErrorName.HelperFailed, message);
    }
}
