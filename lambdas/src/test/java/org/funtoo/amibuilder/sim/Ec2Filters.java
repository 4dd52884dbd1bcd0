package org.funtoo.amibuilder.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The {@code Filters} of one Describe operation: which filter names it knows and what each one reads from a
 * resource. Like AWS: filters are ANDed, the values of one filter ORed, values may use {@code *} and {@code ?}
 * wildcards, {@code tag:<key>}, {@code tag-key} and {@code tag-value} work on tagged resources, and an unknown
 * filter name fails the call with {@code InvalidParameterValue} instead of being ignored.
 */
final class Ec2Filters<T> {
    private final Map<String, Function<T, Collection<String>>> fields = new LinkedHashMap<>();
    private final Function<T, Map<String, String>> tags;

    private Ec2Filters(Function<T, Map<String, String>> tags) {
        this.tags = tags;
    }

    /** Filters for resources that carry tags. */
    static <T> Ec2Filters<T> tagged(Function<T, Map<String, String>> tags) {
        return new Ec2Filters<>(tags);
    }

    /** Filters for things without tags (zones, instance types, offerings). */
    static <T> Ec2Filters<T> untagged() {
        return new Ec2Filters<>(null);
    }

    /**
     * Adds a filter name; {@code value} may return null (no value), a collection, or a single value rendered as
     * AWS renders it ({@code true}/{@code false}, numbers in decimal).
     */
    Ec2Filters<T> on(String name, Function<T, ?> value) {
        fields.put(name, resource -> values(value.apply(resource)));
        return this;
    }

    private static Collection<String> values(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> c) {
            List<String> out = new ArrayList<>();
            c.stream().filter(Objects::nonNull).forEach(v -> out.add(String.valueOf(v)));
            return out;
        }
        return List.of(String.valueOf(value));
    }

    /**
     * @param invalid builds the exception for a bad filter (the service records the error code on the call)
     */
    Predicate<T> matcher(List<Filter> filters, Function<String, RuntimeException> invalid) {
        Predicate<T> all = r -> true;
        if (filters == null) {
            return all;
        }
        for (Filter f : filters) {
            if (f.name() == null || f.values() == null || f.values().isEmpty()) {
                throw invalid.apply("The filter '" + f.name() + "' requires a name and at least one value");
            }
            Function<T, Collection<String>> field = field(f.name());
            if (field == null) {
                throw invalid.apply("The filter '" + f.name() + "' is invalid");
            }
            List<Pattern> patterns = f.values().stream().map(Ec2Filters::glob).toList();
            all = all.and(r -> field.apply(r).stream()
                    .anyMatch(v -> patterns.stream().anyMatch(p -> p.matcher(v).matches())));
        }
        return all;
    }

    private Function<T, Collection<String>> field(String name) {
        Function<T, Collection<String>> known = fields.get(name);
        if (known != null || tags == null) {
            return known;
        }
        if (name.startsWith("tag:") && name.length() > 4) {
            String key = name.substring(4);
            return r -> values(tags.apply(r).get(key));
        }
        if (name.equals("tag-key")) {
            return r -> tags.apply(r).keySet();
        }
        if (name.equals("tag-value")) {
            return r -> tags.apply(r).values();
        }
        return null;
    }

    private static Pattern glob(String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
