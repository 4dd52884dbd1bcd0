package org.funtoo.amibuilder.lambdas.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CopyImageRequest;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;

public class CopyImageHandlerTest {
    public static final String TWO_REGIONS = "{\"image\":{\"tags\":{\"team\":\"os\"}},"
            + "\"publish\":{\"copyToRegions\":[\"eu-west-1\",\"ap-southeast-2\"]}}";
    private final Fixture f = new Fixture(TWO_REGIONS);
    private final CopyImageHandler handler = new CopyImageHandler(f.deps());

    @Test
    void copiesIntoEveryRegionUnderTheSameNameTaggedLikeTheOriginal() {
        Map<String, Object> before = f.smokeTested();
        Map<String, Object> after = handler.handleRequest(f.doc(before), null);

        Map<String, String> copies = copies(after);
        assertEquals(List.of("eu-west-1", "ap-southeast-2"), List.copyOf(copies.keySet()));
        for (String region : copies.keySet()) {
            Image copy = image(region, copies.get(region));
            assertEquals(f.aws.ec2().describeImages(r -> r.imageIds((String) before.get(Resources.IMAGE_ID)))
                    .images().get(0).name(), copy.name());
            assertEquals(before.get(Resources.IMAGE_ID), copy.sourceImageId());
            Expect.builderTags(copy.tags(), "image");
            assertEquals("os", Tags.value(copy.tags(), "team").orElse(null));
            assertEquals("funtoo/x86_64/funtoo-next-x86_64-{timestamp}",
                    Tags.value(copy.tags(), Tags.FAMILY).orElse(null));
            Snapshot snapshot = f.aws.ec2(region).describeSnapshots(r -> r.snapshotIds(
                    copy.blockDeviceMappings().get(0).ebs().snapshotId())).snapshots().get(0);
            Expect.builderTags(snapshot.tags(), "snapshot");
            assertEquals("funtoo/x86_64/funtoo-next-x86_64-{timestamp}",
                    Tags.value(snapshot.tags(), Tags.FAMILY).orElse(null));
        }
        assertEquals(before.get(Resources.IMAGE_ID), after.get(Resources.IMAGE_ID));
    }

    @Test
    void retryCopiesNothingTwiceAndEachRegionHasItsOwnClientToken() {
        Map<String, Object> before = f.smokeTested();
        Map<String, Object> first = handler.handleRequest(f.doc(before), null);
        Map<String, Object> again = handler.handleRequest(f.doc(first), null);
        Map<String, Object> fromScratch = handler.handleRequest(f.doc(before), null);

        assertEquals(copies(first), copies(again));
        assertEquals(copies(first), copies(fromScratch), "a crashed attempt's copies are found by tag");
        assertEquals(2, f.calls("ec2", "CopyImage"));
        List<String> tokens = f.aws.calls().matching(c -> c.operation().equals("CopyImage")).stream()
                .map(c -> ((CopyImageRequest) c.request()).clientToken()).toList();
        assertEquals(2, tokens.stream().distinct().count());
        assertTrue(tokens.stream().allMatch(t -> t.length() <= 64));
    }

    @Test
    void nameAlreadyTakenInARegionIsPublishFailed() {
        Map<String, Object> before = f.smokeTested();
        String name = f.aws.ec2().describeImages(r -> r.imageIds((String) before.get(Resources.IMAGE_ID)))
                .images().get(0).name();
        f.aws.ec2("ap-southeast-2").copyImage(r -> r.sourceRegion("us-east-1")
                .sourceImageId((String) before.get(Resources.IMAGE_ID)).name(name));

        Expect.named(ErrorName.PublishFailed, "cannot copy " + before.get(Resources.IMAGE_ID)
                + " to ap-southeast-2: InvalidAMIName.Duplicate", () -> handler.handleRequest(f.doc(before), null));
    }

    @Test
    void throttlingIsLeftToTheStateMachinesRetryAndTheRetryFinishesTheRest() {
        Map<String, Object> before = f.smokeTested();
        f.aws.faults().failNth("ec2", "CopyImage", 2, "RequestLimitExceeded");
        Expect.retried(ErrorName.AwsTransient, "RequestLimitExceeded", () -> handler.handleRequest(f.doc(before), null));

        Map<String, Object> after = handler.handleRequest(f.doc(before), null);

        assertEquals(2, copies(after).size());
        assertEquals(1, f.aws.ec2("eu-west-1").describeImages(r -> r.owners("self")).images().size());
    }

    @Test
    void withoutRegionsNothingIsCopied() {
        Fixture plain = new Fixture();
        Map<String, Object> after = new CopyImageHandler(plain.deps()).handleRequest(plain.doc(plain.smokeTested()),
                null);
        assertEquals(Map.of(), after.get(Resources.COPIES));
        assertEquals(0, plain.calls("ec2", "CopyImage"));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> copies(Map<String, Object> resources) {
        return new LinkedHashMap<>((Map<String, String>) resources.get(Resources.COPIES));
    }

    private Image image(String region, String imageId) {
        return f.aws.ec2(region).describeImages(r -> r.imageIds(imageId)).images().get(0);
    }
}
