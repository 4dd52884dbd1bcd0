package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code PreflightFailed}; see {@link ErrorName#PreflightFailed}. Made by {@link ErrorName#failure}. */
public final class PreflightFailed extends BuildFailure {
    PreflightFailed(String message) {
        super(ErrorName.PreflightFailed, message);
    }
}
