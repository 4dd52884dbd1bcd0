package org.funtoo.amibuilder.sim;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque pagination for list operations: the token carries the offset of the next page and the operation it came
 * from; a token that was not issued by that operation is rejected with the service's invalid-token code.
 */
final class PageToken {
    private PageToken() {
    }

    /** One page of {@code all}: the items and the token for the next page ({@code null} on the last page). */
    record Page<T>(List<T> items, String nextToken) {
    }

    static <T> Page<T> page(List<T> all, String token, int pageSize, String operation, String invalidTokenCode) {
        int from = token == null ? 0 : decode(token, operation, invalidTokenCode);
        if (from > all.size()) {
            throw new ServiceRejection(invalidTokenCode, "The nextToken is not valid");
        }
        int to = Math.min(all.size(), from + pageSize);
        String next = to < all.size() ? encode(operation, to) : null;
        return new Page<>(List.copyOf(all.subList(from, to)), next);
    }

    private static String encode(String operation, int offset) {
        return Base64.getEncoder().encodeToString((operation + ":" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String token, String operation, String invalidTokenCode) {
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(operation + ":")) {
                return Integer.parseInt(text.substring(operation.length() + 1));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the service's error
        }
        throw new ServiceRejection(invalidTokenCode, "The nextToken is not valid");
    }
}
