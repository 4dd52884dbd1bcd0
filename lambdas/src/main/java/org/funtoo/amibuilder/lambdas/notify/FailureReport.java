package org.funtoo.amibuilder.lambdas.notify;

import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Json;
import org.funtoo.amibuilder.lambdas.core.Section;

/**
 * What went wrong, from what Step Functions' catch wrote ({@code $.error = {Error, Cause}}) or, when the build
 * itself succeeded, from the cleanup's record ({@code $.cleanupErrors = {step: {Error, Cause}}}).
 *
 * <p>A named error (its Error the fully qualified class name, {@link ErrorName#errorType()}) is reported under its
 * short name, as the execution's final Fail state shows it. A catch does not say which state failed, but a named
 * error's cause does: a Lambda error's cause is the Java runtime's JSON ({@code errorMessage}, {@code errorType},
 * {@code stackTrace}) and {@link org.funtoo.amibuilder.lambdas.core.Handler} names itself at the start of every
 * named error's message ({@link BuildFailure#raisedIn}); a handler class runs as the state of the same name without
 * {@code Handler}. The notification shows the message without that name, the state beside it. A wait loop's
 * timeout carries the loop's {@code poll}, which names the loop.
 */
record FailureReport(String error, String message, String failedState) {
    static final String UNKNOWN = "unknown";
    /** Step Functions allows 32 KiB of cause; a notification needs far less. */
    static final int MAX_MESSAGE = 4000;
    private static final String HANDLER = "Handler";

    static FailureReport of(Section root) {
        Section error = root.section("error");
        if (error.has("Error") || error.has("Cause")) {
            return fromCatch(error.string("Error").orElse(UNKNOWN), error.string("Cause").orElse(""));
        }
        Map<String, Object> cleanupErrors = root.section("cleanupErrors").copy();
        if (!cleanupErrors.isEmpty()) {
            String step = cleanupErrors.keySet().iterator().next();
            Section first = root.section("cleanupErrors").section(step);
            FailureReport cause = fromCatch(first.string("Error").orElse(UNKNOWN), first.string("Cause").orElse(""));
            return new FailureReport(ErrorName.CleanupFailed.name(), step + ": " + cause.error() + ": "
                    + cause.message(), step);
        }
        return new FailureReport(UNKNOWN, "the document carries no error", UNKNOWN);
    }

    private static FailureReport fromCatch(String errorType, String cause) {
        Optional<ErrorName> named = ErrorName.ofErrorType(errorType);
        String error = named.map(ErrorName::name).orElse(errorType);
        Optional<Map<String, Object>> json = Json.parseObject(cause);
        if (json.isPresent()) {
            Optional<String> message = text(json.get(), "errorMessage");
            if (message.isPresent()) {
                Optional<BuildFailure.Raised> raised = BuildFailure.handlerOf(message.get());
                return raised.map(r -> new FailureReport(error, shorten(r.text()), stateOf(r.handler())))
                        .orElseGet(() -> new FailureReport(error, shorten(message.get()), UNKNOWN));
            }
            Optional<String> loop = text(json.get(), "loop");
            if (loop.isPresent()) {
                return new FailureReport(error, shorten("gave up waiting: " + cause), loop.get());
            }
        }
        return new FailureReport(error, shorten(cause), UNKNOWN);
    }

    private static String stateOf(String handler) {
        return handler.substring(0, handler.length() - HANDLER.length());
    }

    private static Optional<String> text(Map<String, Object> node, String field) {
        return node.get(field) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }
}
