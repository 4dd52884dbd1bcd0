package org.funtoo.amibuilder.lambdas.core;

import java.util.List;
import java.util.Map;

/**
 * The execution input's declaration, {@code schema/build-input.schema.json} in the repository (on the class path
 * as {@value #RESOURCE}): the values of its fields that the code needs, read from the file rather than copied.
 * The bootstrap parameters take their patterns from here ({@link BootstrapParameter}).
 */
public final class InputSchema {
    public static final String RESOURCE = "/build-input.schema.json";
    private static final Map<String, Object> ROOT = Json.resource(InputSchema.class, RESOURCE,
            "schema/ of the repository");

    private InputSchema() {
    }

    /** The object at a JSON pointer ({@code /properties/stage3/properties/release}), following a {@code $ref}. */
    static Map<String, Object> at(String pointer) {
        Object node = ROOT;
        if (!pointer.isEmpty()) {
            for (String token : pointer.substring(1).split("/")) {
                String key = token.replace("~1", "/").replace("~0", "~");
                node = node instanceof Map<?, ?> map ? map.get(key) : null;
                if (node == null) {
                    throw new IllegalStateException(RESOURCE + " has nothing at " + pointer);
                }
            }
        }
        if (!(node instanceof Map<?, ?>)) {
            throw new IllegalStateException(RESOURCE + ": " + pointer + " is not an object");
        }
        Map<String, Object> object = Json.object(node);
        return object.get("$ref") instanceof String ref ? at(ref.substring(1)) : object;
    }

    /** A keyword of the field at {@code pointer}, which the schema must declare. */
    static Object keyword(String pointer, String keyword) {
        Object value = at(pointer).get(keyword);
        if (value == null) {
            throw new IllegalStateException(RESOURCE + " declares no " + keyword + " at " + pointer);
        }
        return value;
    }

    /** A string keyword of the field at {@code pointer}: its {@code type}, its {@code pattern}. */
    static String text(String pointer, String keyword) {
        return (String) keyword(pointer, keyword);
    }

    /** The pattern of a string field without its anchors: {@code ^x$} → {@code x}. */
    static String pattern(String pointer) {
        String anchored = text(pointer, "pattern");
        if (!anchored.startsWith("^") || !anchored.endsWith("$")) {
            throw new IllegalStateException(RESOURCE + ": the pattern at " + pointer + " is not anchored");
        }
        return anchored.substring(1, anchored.length() - 1);
    }

    /** The values of an enumerated field, in their declared order. */
    static List<String> choices(String pointer) {
        return Json.array(keyword(pointer, "enum")).stream().map(String.class::cast).toList();
    }

    /** A string field's pattern, anchored as the schema writes it: use {@code matcher(..).matches()}. */
    static java.util.regex.Pattern regex(String pointer) {
        return java.util.regex.Pattern.compile("^" + pattern(pointer) + "$");
    }

    /** A numeric keyword of a field: minimum, maximum, maxItems, maxLength, maxProperties. */
    static int limit(String pointer, String keyword) {
        return ((Number) keyword(pointer, keyword)).intValue();
    }

    /** A field's static default; a field whose default depends on others has none here (see Defaults). */
    static Object defaultOf(String pointer) {
        return keyword(pointer, "default");
    }

    static String defaultString(String pointer) {
        return (String) defaultOf(pointer);
    }

    static boolean defaultBoolean(String pointer) {
        return (Boolean) defaultOf(pointer);
    }

    static long defaultWhole(String pointer) {
        return ((Number) defaultOf(pointer)).longValue();
    }
}
