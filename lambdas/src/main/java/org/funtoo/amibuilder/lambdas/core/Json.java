package org.funtoo.amibuilder.lambdas.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * JSON for the few places a handler writes or reads it (event details, the error cause Step Functions hands the
 * failure notification), with the SDK's own small JSON library: no other JSON dependency in the deployable jar.
 */
public final class Json {
    private Json() {
    }

    /** Compact JSON of maps, lists, strings, numbers, booleans and nulls. */
    public static String write(Object value) {
        JsonWriter writer = JsonWriter.create();
        write(writer, value);
        return new String(writer.getBytes(), StandardCharsets.UTF_8);
    }

    /** The document, or empty when {@code text} is not JSON (a cause can be any text). */
    public static Optional<JsonNode> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonNode.parser().parse(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void write(JsonWriter writer, Object value) {
        if (value == null) {
            writer.writeNull();
        } else if (value instanceof Map<?, ?> map) {
            writer.writeStartObject();
            map.forEach((k, v) -> {
                writer.writeFieldName(String.valueOf(k));
                write(writer, v);
            });
            writer.writeEndObject();
        } else if (value instanceof List<?> list) {
            writer.writeStartArray();
            list.forEach(v -> write(writer, v));
            writer.writeEndArray();
        } else if (value instanceof Boolean b) {
            writer.writeValue(b);
        } else if (value instanceof Integer || value instanceof Long) {
            writer.writeValue(((Number) value).longValue());
        } else if (value instanceof Number n) {
            writer.writeNumber(n.toString());
        } else {
            writer.writeValue(String.valueOf(value));
        }
    }
}
