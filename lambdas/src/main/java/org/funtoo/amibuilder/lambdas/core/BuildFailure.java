package org.funtoo.amibuilder.lambdas.core;

import java.util.Optional;

/**
 * Base of the named errors. Throw with {@code throw BuildFailure.of(ErrorName.InvalidInput, "...")}; the concrete
 * class (this package, same simple name as the enum constant) is what Step Functions sees as the error type
 * ({@link ErrorName#errorType()}).
 */
public abstract class BuildFailure extends RuntimeException {
    private final ErrorName name;

    protected BuildFailure(ErrorName name, String message) {
        super(message);
        this.name = name;
    }

    public ErrorName errorName() {
        return name;
    }

    public static BuildFailure of(ErrorName name, String message) {
        return name.failure(message);
    }

    /**
     * This failure, marked as raised in {@code handler} (a handler class's simple name) unless it is marked already.
     * A Catch records the error and its cause, never the state that failed; Lambda's Java runtime writes a thrown
     * exception's cause into the error's JSON as {@code cause: {errorMessage, errorType, stackTrace}}, so the mark
     * is the cause: a {@link RaisedIn} whose message is the handler. {@link Handler} marks every named error it
     * lets out; the failure notification reads the mark back. The failure's own message stays as it was.
     */
    public BuildFailure raisedIn(String handler) {
        if (getCause() == null) {
            initCause(new RaisedIn(handler));
        }
        return this;
    }

    /** The handler this failure is marked as raised in, if it is marked. */
    public Optional<String> handler() {
        return getCause() instanceof RaisedIn raised ? Optional.of(raised.getMessage()) : Optional.empty();
    }
}
