package org.funtoo.amibuilder.sim;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a Describe result. Paging only happens when the caller sets {@code MaxResults}, as on AWS; the SDK's
 * paginators then follow {@code NextToken}, and a handler that ignores it sees only the first page here too.
 */
record Ec2Page<T>(List<T> items, String nextToken) {
    private static final String TOKEN_PREFIX = "simpage-";

    static <T> Ec2Page<T> of(List<T> all, Integer maxResults, String nextToken,
                             Function<String, RuntimeException> invalid) {
        int start = 0;
        if (nextToken != null) {
            try {
                if (!nextToken.startsWith(TOKEN_PREFIX)) {
                    throw new NumberFormatException();
                }
                start = Integer.parseInt(nextToken.substring(TOKEN_PREFIX.length()));
            } catch (NumberFormatException e) {
                throw invalid.apply("The token '" + nextToken + "' is invalid");
            }
        }
        if (maxResults == null) {
            return new Ec2Page<>(all.subList(Math.min(start, all.size()), all.size()), null);
        }
        int end = Math.min(all.size(), start + maxResults);
        String next = end < all.size() ? TOKEN_PREFIX + end : null;
        return new Ec2Page<>(List.copyOf(all.subList(Math.min(start, end), end)), next);
    }
}
