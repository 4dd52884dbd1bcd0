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
     * The message of a failure raised in {@code handler} ({@code CreateVpcHandler: ...}). A Catch records the error
     * and its cause, never the state that failed, so the failing handler travels in the message: {@link Handler}
     * names itself on every named error it lets out, and the failure notification reads it back with
     * {@link #handlerOf}.
     */
    public static String raisedIn(String handler, String text) {
        return handler + SEPARATOR + text;
    }

    /** This failure, its message naming {@code handler} unless it does already. */
    public BuildFailure raisedIn(String handler) {
        if (handlerOf(getMessage()).isPresent()) {
            return this;
        }
        BuildFailure named = of(name, raisedIn(handler, getMessage()));
        named.setStackTrace(getStackTrace());
        return named;
    }

    /** The handler a named error's message says it was raised in, and the rest of the message. */
    public static Optional<Raised> handlerOf(String message) {
        Matcher m = RAISED.matcher(message == null ? "" : message);
        return m.matches() ? Optional.of(new Raised(m.group(1), m.group(2))) : Optional.empty();
    }

    /** A named error's message taken apart: the handler class's simple name and what it said. */
    public record Raised(String handler, String text) {
    }

    private static final String SEPARATOR = ": ";
    private static final Pattern RAISED = Pattern.compile("([A-Z][A-Za-z0-9]*Handler)" + SEPARATOR + "(.*)",
            Pattern.DOTALL);
}
