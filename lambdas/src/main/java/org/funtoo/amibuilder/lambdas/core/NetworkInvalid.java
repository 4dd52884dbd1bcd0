package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code NetworkInvalid}; see {@link ErrorName#NetworkInvalid}. Made by {@link ErrorName#failure}. */
public final class NetworkInvalid extends BuildFailure {
    NetworkInvalid(String message) {
        super(ErrorName.NetworkInvalid, message);
    }
}
