package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code InvalidInput}; see {@link ErrorName#InvalidInput}. Made by {@link ErrorName#failure}. */
public final class InvalidInput extends BuildFailure {
    InvalidInput(String message) {
        super(ErrorName.InvalidInput, message);
    }
}
