package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code SmokeTestFailed}; see {@link ErrorName#SmokeTestFailed}. Made by {@link ErrorName#failure}. */
public final class SmokeTestFailed extends BuildFailure {
    SmokeTestFailed(String message) {
        super(ErrorName.SmokeTestFailed, message);
    }
}
