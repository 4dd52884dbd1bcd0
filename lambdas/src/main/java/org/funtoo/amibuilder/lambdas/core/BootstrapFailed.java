package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code BootstrapFailed}; see {@link ErrorName#BootstrapFailed}. Made by {@link ErrorName#failure}. */
public final class BootstrapFailed extends BuildFailure {
    BootstrapFailed(String message) {
        super(ErrorName.BootstrapFailed, message);
    }
}
