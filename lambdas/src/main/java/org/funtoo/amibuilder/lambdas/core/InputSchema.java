package org.funtoo.amibuilder.lambdas.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The execution input's declaration, {@code schema/build-input.schema.json} in the repository (on the class path
 * as {@value #RESOURCE}): the values of its fields that the code needs, read from the file rather than copied.
 * The bootstrap parameters take their patterns from here ({@link BootstrapParameter}).
 */
public final class InputSchema {
    public static final String RESOURCE = "/build-input.schema.json";
    private static final JsonNode ROOT = load();

    private InputSchema() {
    }

    private static JsonNode load() {
        try (InputStream in = InputSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (schema/ of the repository)");
            }
            return JsonNode.parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node at a JSON pointer ({@code /properties/stage3/properties/release}), following a {@code $ref}. */
    static JsonNode at(String pointer) {
        if (pointer.isEmpty()) {
            return ROOT;
        }
        JsonNode node = ROOT;
        for (String token : pointer.substring(1).split("/")) {
            String key = token.replace("~1", "/").replace("~0", "~");
            node = node.field(key).orElseThrow(() -> new IllegalStateException(RESOURCE + " has nothing at " + pointer));
        }
        return node.field("$ref").map(ref -> at(ref.asString().substring(1))).orElse(node);
    }

    /** The pattern of a string field without its anchors: {@code ^x$} → {@code x}. */
    static String pattern(String pointer) {
        String anchored = at(pointer).field("pattern").orElseThrow(
                () -> new IllegalStateException(RESOURCE + " declares no pattern at " + pointer)).asString();
        if (!anchored.startsWith("^") || !anchored.endsWith("$")) {
            throw new IllegalStateException(RESOURCE + ": the pattern at " + pointer + " is not anchored");
        }
        return anchored.substring(1, anchored.length() - 1);
    }

    /** The values of an enumerated field, in their declared order. */
    static List<String> choices(String pointer) {
        return at(pointer).field("enum").orElseThrow(
                () -> new IllegalStateException(RESOURCE + " declares no enum at " + pointer))
                .asArray().stream().map(JsonNode::asString).toList();
    }

    /** A string field's pattern, anchored as the schema writes it: use {@code matcher(..).matches()}. */
    static java.util.regex.Pattern regex(String pointer) {
        return java.util.regex.Pattern.compile("^" + pattern(pointer) + "$");
    }

    /** A numeric keyword of a field: minimum, maximum, maxItems, maxLength, maxProperties. */
    static int limit(String pointer, String keyword) {
        return Integer.parseInt(at(pointer).field(keyword).orElseThrow(
                () -> new IllegalStateException(RESOURCE + " declares no " + keyword + " at " + pointer)).asNumber());
    }

    /** A field's static default; a field whose default depends on others has none here (see Defaults). */
    static JsonNode defaultOf(String pointer) {
        return at(pointer).field("default").orElseThrow(
                () -> new IllegalStateException(RESOURCE + " declares no default at " + pointer));
    }

    static String defaultString(String pointer) {
        return defaultOf(pointer).asString();
    }

    static boolean defaultBoolean(String pointer) {
        return defaultOf(pointer).asBoolean();
    }

    static long defaultWhole(String pointer) {
        return Long.parseLong(defaultOf(pointer).asNumber());
    }
}
