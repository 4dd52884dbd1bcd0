package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code CleanupFailed}; see {@link ErrorName#CleanupFailed}. Made by {@link ErrorName#failure}. */
public final class CleanupFailed extends BuildFailure {
    CleanupFailed(String message) {
        super(ErrorName.CleanupFailed, message);
    }
}
