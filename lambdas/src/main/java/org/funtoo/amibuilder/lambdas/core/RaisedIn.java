package org.funtoo.amibuilder.lambdas.core;

/**
 * The cause of a named error that says which handler raised it ({@link BuildFailure#raisedIn}): its message is the
 * handler class's simple name. Lambda's Java runtime reports it inside the error's JSON as
 * {@code cause: {errorMessage: "CreateVpcHandler", errorType: "org.funtoo.amibuilder.lambdas.core.RaisedIn"}}.
 */
public final class RaisedIn extends RuntimeException {
    RaisedIn(String handler) {
        // no stack of its own: the failure it marks carries the stack
        super(handler, null, false, false);
    }
}
