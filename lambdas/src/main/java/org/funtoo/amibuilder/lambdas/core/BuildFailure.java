package org.funtoo.amibuilder.lambdas.core;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base of the named errors. Throw with {@code throw BuildFailure.of(ErrorName.InvalidInput, "...")}; the concrete
 * class (this package, same simple name as the enum constant) is what Step Functions sees as the error type
 * ({@link ErrorName#errorType()}).
 */
public abstract class BuildFailure extends RuntimeException {
    private static final String SEPARATOR = ": ";
    private static final Pattern RAISED = Pattern.compile("([A-Z][A-Za-z0-9]*Handler)" + SEPARATOR + "(.*)",
            Pattern.DOTALL);

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
     * This failure with its message naming the handler it was raised in ({@code CreateVpcHandler: ...}), unless the
     * message names one already. A Catch records the error and its cause, never the state that failed, and Lambda's
     * Java runtime reports a thrown exception as its message, its class name and its stack only (no cause chain:
     * {@code LambdaErrorConverter.fromThrowable} in aws/aws-lambda-java-libs, the runtime interface client); so the
     * handler travels in the message. {@link Handler} names itself on every named error it lets out, in the form
     * {@link AwsFailures} has always used for AWS errors, and the failure notification reads it back with
     * {@link #raisedIn(String)}'s counterpart {@link #handlerOf(String)}.
     */
    public BuildFailure raisedIn(String handler) {
        if (handlerOf(getMessage()).isPresent()) {
            return this;
        }
        BuildFailure marked = of(name, raisedIn(handler, getMessage()));
        marked.setStackTrace(getStackTrace());
        return marked;
    }

    /** A message naming the handler it was raised in. */
    public static String raisedIn(String handler, String text) {
        return handler + SEPARATOR + text;
    }

    /** The handler a message says it was raised in, and what it says besides. */
    public static Optional<Raised> handlerOf(String message) {
        Matcher m = RAISED.matcher(message == null ? "" : message);
        return m.matches() ? Optional.of(new Raised(m.group(1), m.group(2))) : Optional.empty();
    }

    /** A named error's message taken apart: the handler class's simple name and what it said. */
    public record Raised(String handler, String text) {
    }
}
