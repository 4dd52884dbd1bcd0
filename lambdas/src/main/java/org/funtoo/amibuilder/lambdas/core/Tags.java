package org.funtoo.amibuilder.lambdas.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The builder's tags (SECURITY.md): every resource carries the build id, the managed marker and a Name
 * {@code funtoo-ami-builder-<buildId>-<purpose>}, all set in TagSpecifications at creation. Lookups before
 * creating match build id and Name, so a retried Task finds what its earlier attempt made.
 */
public final class Tags {
    public static final String PREFIX = "funtoo-ami-builder:";
    public static final String BUILD_ID = PREFIX + "build-id";
    public static final String MANAGED = PREFIX + "managed";
    public static final String NAME = "Name";
    /**
     * On images, their copies and the snapshots under them: the product line retention keeps the newest images
     * of (and whose snapshots it deletes once no image uses them).
     */
    public static final String FAMILY = PREFIX + "family";
    /**
     * EC2 takes at most this many filter values in one call, counted over all its filters together
     * (FilterLimitExceeded otherwise: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
     */
    public static final int MAX_FILTER_VALUES = 200;

    private Tags() {
    }

    public static String name(String buildId, String purpose) {
        return "funtoo-ami-builder-" + buildId + "-" + purpose;
    }

    public static List<Tag> of(String buildId, String purpose) {
        return of(buildId, purpose, Map.of());
    }

    /** The builder's tags plus {@code extra} (the caller's image tags, already validated not to clash). */
    public static List<Tag> of(String buildId, String purpose, Map<String, String> extra) {
        List<Tag> tags = new ArrayList<>();
        extra.forEach((k, v) -> tags.add(tag(k, v)));
        tags.add(tag(BUILD_ID, buildId));
        tags.add(tag(MANAGED, "true"));
        tags.add(tag(NAME, name(buildId, purpose)));
        return tags;
    }

    public static TagSpecification spec(ResourceType type, String buildId, String purpose) {
        return spec(type, buildId, purpose, Map.of());
    }

    public static TagSpecification spec(ResourceType type, String buildId, String purpose, Map<String, String> extra) {
        return TagSpecification.builder().resourceType(type).tags(of(buildId, purpose, extra)).build();
    }

    /** Filters matching what this build made for {@code purpose}, narrowed by {@code more}. */
    public static List<Filter> ofPurpose(String buildId, String purpose, Filter... more) {
        List<Filter> filters = new ArrayList<>(List.of(
                filter("tag:" + BUILD_ID, buildId), filter("tag:" + NAME, name(buildId, purpose))));
        filters.addAll(List.of(more));
        return filters;
    }

    /** Filters matching everything this build made. */
    public static List<Filter> ofBuild(String buildId) {
        return List.of(filter("tag:" + BUILD_ID, buildId));
    }

    public static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    public static Filter filter(String name, List<String> values) {
        return Filter.builder().name(name).values(values).build();
    }

    /** {@code values} in pieces that each fit one call with no other filter ({@link #MAX_FILTER_VALUES}). */
    public static List<List<String>> filterSized(List<String> values) {
        return filterSized(values, List.of());
    }

    /**
     * {@code values} in pieces that each fit one call beside the {@code others} filters it also sends: the
     * {@link #MAX_FILTER_VALUES} are shared by every filter of the call.
     */
    public static List<List<String>> filterSized(List<String> values, List<Filter> others) {
        int room = MAX_FILTER_VALUES - others.stream().mapToInt(f -> f.values().size()).sum();
        if (room < 1) {
            throw new IllegalArgumentException("the other filters alone use " + (MAX_FILTER_VALUES - room)
                    + " of the " + MAX_FILTER_VALUES + " filter values of a call");
        }
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < values.size(); from += room) {
            chunks.add(values.subList(from, Math.min(values.size(), from + room)));
        }
        return chunks;
    }

    public static Optional<String> value(List<Tag> tags, String key) {
        return tags == null ? Optional.empty()
                : tags.stream().filter(t -> key.equals(t.key())).map(Tag::value).findFirst();
    }

    /** Only what carries the managed marker may be deleted: the caller's own network never does. */
    public static boolean managed(List<Tag> tags) {
        return value(tags, MANAGED).filter("true"::equals).isPresent();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
