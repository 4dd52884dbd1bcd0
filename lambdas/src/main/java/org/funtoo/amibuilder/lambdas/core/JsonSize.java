package org.funtoo.amibuilder.lambdas.core;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The size in bytes of a value's compact JSON form, to refuse oversized inputs before looking at them. Stops
 * counting once past {@code limit}, so a huge document costs no more than the limit.
 */
final class JsonSize {
    private final long limit;
    private long bytes;

    private JsonSize(long limit) {
        this.limit = limit;
    }

    static long of(Object value, long limit) {
        JsonSize size = new JsonSize(limit);
        size.add(value);
        return size.bytes;
    }

    private void add(Object value) {
        if (bytes > limit) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            bytes += 2 + Math.max(0, map.size() - 1);
            map.forEach((k, v) -> {
                addString(String.valueOf(k));
                bytes += 1;
                add(v);
            });
        } else if (value instanceof List<?> list) {
            bytes += 2 + Math.max(0, list.size() - 1);
            list.forEach(this::add);
        } else if (value instanceof String s) {
            addString(s);
        } else {
            bytes += String.valueOf(value).length();
        }
    }

    private void addString(String s) {
        bytes += 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }
}
