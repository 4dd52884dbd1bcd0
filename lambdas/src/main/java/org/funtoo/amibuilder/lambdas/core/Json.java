package org.funtoo.amibuilder.lambdas.core;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON for the few places a handler writes or reads it (event details, the error cause Step Functions hands the
 * failure notification, the input schema), with jackson-jr: plain maps, lists, strings, numbers, booleans and
 * nulls, no reflection on classes, little to load at a cold start.
 *
 * <p>What the callers rely on: objects keep their key order (read into {@link java.util.LinkedHashMap}), whole
 * numbers read as {@link Integer} or {@link Long} (as the Lambda runtime reads the state document), and nulls
 * are written, not dropped.
 */
public final class Json {
    private static final JSON JR = JSON.builder().build()
            .with(JSON.Feature.WRITE_NULL_PROPERTIES)
            .without(JSON.Feature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Json() {
    }

    /** Compact JSON of maps, lists, strings, numbers, booleans and nulls. */
    public static String write(Object value) {
        try {
            return JR.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document (a map, a list or a scalar), or empty when {@code text} is not JSON (a cause can be any text). */
    public static Optional<Object> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JR.anyFrom(text));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The JSON object {@code text} holds, or empty when it is not one. */
    public static Optional<Map<String, Object>> parseObject(String text) {
        return parse(text).filter(Map.class::isInstance).map(Json::object);
    }

    /** The JSON object in a class path resource of {@code anchor}'s; {@code where} says where it comes from. */
    public static Map<String, Object> resource(Class<?> anchor, String resource, String where) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path (" + where + ")");
            }
            return JR.mapFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as a JSON object, which {@link #parse} gives as a string-keyed map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return (Map<String, Object>) value;
    }

    /** {@code value} as a JSON array, which {@link #parse} gives as a list. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        return (List<Object>) value;
    }
}
