package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code ImageFailed}; see {@link ErrorName#ImageFailed}. Made by {@link ErrorName#failure}. */
public final class ImageFailed extends BuildFailure {
    ImageFailed(String message) {
        super(ErrorName.ImageFailed, message);
    }
}
