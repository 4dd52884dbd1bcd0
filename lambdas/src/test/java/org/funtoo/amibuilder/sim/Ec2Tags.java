package org.funtoo.amibuilder.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.CreateTagsResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Tags on create ({@code TagSpecifications}) with AWS's checks: a resource type the operation cannot tag, a key in
 * the reserved {@code aws:} namespace, more than 50 tags or over-long keys/values fail the whole request, so the
 * resource is never created untagged.
 */
final class Ec2Tags {
    static final int MAX_TAGS = 50;

    private Ec2Tags() {
    }

    /** Tags per resource type ({@code vpc}, {@code instance}, ...). */
    static Map<String, Map<String, String>> byType(List<TagSpecification> specs, Set<String> taggable,
                                                   Errors errors) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (specs == null) {
            return out;
        }
        for (TagSpecification spec : specs) {
            String type = spec.resourceTypeAsString();
            if (type == null || !taggable.contains(type)) {
                throw errors.fail("InvalidParameterValue",
                        "'" + type + "' is not a valid taggable resource type for this operation.");
            }
            Map<String, String> tags = out.computeIfAbsent(type, t -> new LinkedHashMap<>());
            tags.putAll(checked(spec.tags(), errors));
        }
        return out;
    }

    /** Validated tags of a CreateTags request or one TagSpecification. */
    static Map<String, String> checked(List<Tag> tags, Errors errors) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag tag : tags) {
            String key = tag.key();
            if (key == null || key.isEmpty() || key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw errors.fail("InvalidTagKey.Malformed",
                        "Tag keys cannot be empty and cannot start with 'aws:': " + key);
            }
            String value = tag.value() == null ? "" : tag.value();
            if (key.length() > 128 || value.length() > 256) {
                throw errors.fail("InvalidParameterValue", "Tag key exceeds 128 or value exceeds 256 characters: " + key);
            }
            out.put(key, value);
        }
        if (out.size() > MAX_TAGS) {
            throw errors.fail("TagLimitExceeded", "The maximum number of tags per resource is " + MAX_TAGS);
        }
        return out;
    }

    /**
     * CreateTags. The builder never needs it (its tags are set at creation); tests use it to set up resources
     * that someone else tagged.
     */
    static CreateTagsResponse createTags(Ec2Region r, CallLog.Call call, CreateTagsRequest q) {
        if (q.resources().isEmpty() || q.tags().isEmpty()) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameters resourceIdSet and tagSet");
        }
        Map<String, String> tags = checked(q.tags(), r.errors(call));
        List<Ec2Resources.Tagged> targets = new ArrayList<>();
        for (String id : q.resources()) {
            Ec2Ids.Kind kind = Ec2Ids.Kind.ofId(id);
            if (kind == null) {
                throw r.fail(call, "InvalidID", "The ID '" + id + "' is not valid");
            }
            Ec2Resources.Tagged target = r.require(call, r.resources(kind), kind, id);
            r.touch(call, kind, target);
            if (target instanceof Ec2Resources.Image image && !image.ownerId.equals(r.accountId())) {
                throw r.fail(call, "AuthFailure", "Not authorized for image:" + id);
            }
            Map<String, String> merged = new LinkedHashMap<>(target.tags);
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS) {
                throw r.fail(call, "TagLimitExceeded", "The maximum number of tags per resource is " + MAX_TAGS);
            }
            targets.add(target);
        }
        call.requestTags(tags);
        targets.forEach(t -> t.tags.putAll(tags));
        return CreateTagsResponse.builder().build();
    }

    /** Logs each TagSpecification's tags under its own resource type (see {@link CallLog.Call#requestTags(String, Map)}). */
    static void record(CallLog.Call call, Map<String, Map<String, String>> byType) {
        byType.forEach(call::requestTags);
    }

    static Map<String, String> union(Map<String, Map<String, String>> byType) {
        Map<String, String> all = new LinkedHashMap<>();
        byType.values().forEach(all::putAll);
        return all;
    }

    static List<Tag> sdk(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    /** How the caller turns an error code and message into the exception it throws (and logs). */
    @FunctionalInterface
    interface Errors {
        RuntimeException fail(String code, String message);
    }
}
