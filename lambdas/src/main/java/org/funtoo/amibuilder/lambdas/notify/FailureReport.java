package org.funtoo.amibuilder.lambdas.notify;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.funtoo.amibuilder.lambdas.core.Json;
import org.funtoo.amibuilder.lambdas.core.Section;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * What went wrong, from what Step Functions' catch wrote ({@code $.error = {Error, Cause}}) or, when the build
 * itself succeeded, from the cleanup's record ({@code $.cleanupErrors = {step: {Error, Cause}}}).
 *
 * <p>A catch does not say which state failed, but the cause does: a Lambda error's cause is the Java runtime's JSON
 * ({@code errorMessage}, {@code errorType}, {@code stackTrace}) whose stack names the handler class, and a handler
 * class runs as the state of the same name without {@code Handler}; a wait loop's timeout carries the loop's
 * {@code poll}, which names the loop.
 */
record FailureReport(String error, String message, String failedState) {
    static final String UNKNOWN = "unknown";
    /** Step Functions allows 32 KiB of cause; a notification needs far less. */
    static final int MAX_MESSAGE = 4000;
    private static final Pattern HANDLER_FRAME =
            Pattern.compile("org\\.funtoo\\.amibuilder\\.lambdas\\.[a-z]+\\.(\\w+)Handler\\.");

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
            return new FailureReport(NotifyFailureHandler.CLEANUP_FAILED, step + ": " + cause.error() + ": " + cause.message(), step);
        }
        return new FailureReport(UNKNOWN, "the document carries no error", UNKNOWN);
    }

    private static FailureReport fromCatch(String error, String cause) {
        Optional<JsonNode> json = Json.parse(cause).filter(JsonNode::isObject);
        if (json.isPresent()) {
            Optional<String> message = text(json.get(), "errorMessage");
            if (message.isPresent()) {
                return new FailureReport(error, shorten(message.get()), handlerState(json.get()));
            }
            Optional<String> loop = text(json.get(), "loop");
            if (loop.isPresent()) {
                return new FailureReport(error, shorten("gave up waiting: " + cause), loop.get());
            }
        }
        return new FailureReport(error, shorten(cause), UNKNOWN);
    }

    private static String handlerState(JsonNode cause) {
        return cause.field("stackTrace").filter(JsonNode::isArray).stream()
                .flatMap(trace -> trace.asArray().stream())
                .filter(JsonNode::isString)
                .map(frame -> HANDLER_FRAME.matcher(frame.asString()))
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .findFirst().orElse(UNKNOWN);
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.field(field).filter(JsonNode::isString).map(JsonNode::asString);
    }

    private static String shorten(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
    }
}
