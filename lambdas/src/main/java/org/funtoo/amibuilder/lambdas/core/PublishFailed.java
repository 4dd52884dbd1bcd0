package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code PublishFailed}; see {@link ErrorName#PublishFailed}. Made by {@link ErrorName#failure}. */
public final class PublishFailed extends BuildFailure {
    PublishFailed(String message) {
        super(ErrorName.PublishFailed, message);
    }
}
