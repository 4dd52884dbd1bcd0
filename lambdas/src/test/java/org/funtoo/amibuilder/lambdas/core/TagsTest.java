package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class TagsTest {
    @Test
    void specCarriesBuildIdManagedAndNameOfThePurpose() {
        TagSpecification spec = Tags.spec(ResourceType.VPC, "b-7", "vpc", Map.of("team", "os"));
        assertEquals(ResourceType.VPC, spec.resourceType());
        assertEquals(Map.of("team", "os", "funtoo-ami-builder:build-id", "b-7", "funtoo-ami-builder:managed", "true",
                "Name", "funtoo-ami-builder-b-7-vpc"), toMap(spec.tags()));
    }

    @Test
    void onlyTheManagedMarkerMakesSomethingDeletable() {
        assertTrue(Tags.managed(Tags.of("b", "vpc")));
        assertFalse(Tags.managed(List.of(Tag.builder().key("funtoo-ami-builder:build-id").value("b").build())));
        assertFalse(Tags.managed(List.of(Tag.builder().key(Tags.MANAGED).value("false").build())));
        assertFalse(Tags.managed(null));
    }

    @Test
    void purposeFiltersMatchBuildIdAndName() {
        assertEquals(List.of("tag:funtoo-ami-builder:build-id=b", "tag:Name=funtoo-ami-builder-b-subnet"),
                Tags.ofPurpose("b", "subnet").stream().map(f -> f.name() + "=" + String.join(",", f.values()))
                        .toList());
    }

    private static Map<String, String> toMap(List<Tag> tags) {
        return tags.stream().collect(java.util.stream.Collectors.toMap(Tag::key, Tag::value));
    }
}
