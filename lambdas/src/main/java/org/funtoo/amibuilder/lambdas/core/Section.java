package org.funtoo.amibuilder.lambdas.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of one JSON object of the state document, so handlers read fields without casts. The
 * document is written by this module's own handlers, so a wrong type here is a bug and fails loudly with the
 * field's path; user input is checked earlier, by {@link InputValidator}.
 */
public final class Section {
    private final String path;
    private final Map<String, Object> map;

    private Section(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map;
    }

    /** {@code value} is a JSON object, or null / absent (an empty section). */
    @SuppressWarnings("unchecked")
    public static Section of(String path, Object value) {
        if (value == null) {
            return new Section(path, Map.of());
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalStateException(path + " is not an object");
        }
        return new Section(path, (Map<String, Object>) m);
    }

    public Section section(String key) {
        return of(child(key), map.get(key));
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    public Optional<String> string(String key) {
        Object v = map.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new IllegalStateException(child(key) + " is not a string");
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public String requireString(String key) {
        return string(key).orElseThrow(() -> new IllegalStateException(child(key) + " is missing"));
    }

    public long number(String key, long orElse) {
        Object v = map.get(key);
        if (v == null) {
            return orElse;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalStateException(child(key) + " is not a number");
        }
        return n.longValue();
    }

    public Optional<Long> number(String key) {
        return has(key) ? Optional.of(number(key, 0)) : Optional.empty();
    }

    public boolean bool(String key, boolean orElse) {
        Object v = map.get(key);
        if (v == null) {
            return orElse;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalStateException(child(key) + " is not a boolean");
        }
        return b;
    }

    public List<String> strings(String key) {
        Object v = map.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new IllegalStateException(child(key) + " is not a list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        section(key).map.forEach((k, v) -> {
            if (!(v instanceof String s)) {
                throw new IllegalStateException(child(key) + "." + k + " is not a string");
            }
            out.put(k, s);
        });
        return out;
    }

    /** A mutable copy of the underlying object. */
    public Map<String, Object> copy() {
        return new LinkedHashMap<>(map);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
