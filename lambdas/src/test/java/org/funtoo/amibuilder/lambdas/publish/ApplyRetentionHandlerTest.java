package org.funtoo.amibuilder.lambdas.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class ApplyRetentionHandlerTest {
    private static final String FAMILY = "funtoo/x86_64/funtoo-next-x86_64-{timestamp}";
    private Fixture f = new Fixture("{\"publish\":{\"keepLatest\":3}}");

    /**
     * An image an earlier build made, with its snapshot: builder-tagged ({@code managed}) or only family-tagged; the
     * snapshot carries the family like the builder's CreateSnapshot sets it.
     */
    private record Older(String imageId, String snapshotId) {
    }

    @Test
    void keepsTheNewestOfTheFamilyAndRemovesOlderBuilderImagesButNeverAnUntaggedOne() {
        Older o1 = older("us-east-1", "old-1", FAMILY, true, true);
        Older foreign = older("us-east-1", "old-2", FAMILY, false, false);
        Older o3 = older("us-east-1", "old-3", FAMILY, true, true);
        Older o4 = older("us-east-1", "old-4", FAMILY, true, true);
        Older o5 = older("us-east-1", "old-5", FAMILY, true, true);
        Map<String, Object> resources = f.smokeTested();

        retention().handleRequest(f.doc(resources), null);

        assertEquals(List.of((String) resources.get(Resources.IMAGE_ID), o5.imageId(), o4.imageId(),
                foreign.imageId()), imageIds("us-east-1"));
        assertTrue(snapshotIds("us-east-1").containsAll(List.of(foreign.snapshotId(), o4.snapshotId(),
                o5.snapshotId())));
        assertTrue(snapshotIds("us-east-1").stream().noneMatch(s -> s.equals(o1.snapshotId())
                || s.equals(o3.snapshotId())));
        List<String> order = f.aws.calls().matching(c -> c.caller().equals("test") && (c.operation()
                .equals("DeregisterImage") || c.operation().equals("DeleteSnapshot"))).stream()
                .map(c -> c.operation() + " " + c.resources().get(0).arn().replaceAll(".*/", "")).toList();
        assertEquals(List.of("DeregisterImage " + o1.imageId(), "DeleteSnapshot " + o1.snapshotId(),
                "DeregisterImage " + o3.imageId(), "DeleteSnapshot " + o3.snapshotId()), order.subList(
                        order.size() - 4, order.size()), "oldest first; each image deregistered before its snapshot");
    }

    @Test
    void otherFamiliesAreNotCounted() {
        f = new Fixture("{\"publish\":{\"keepLatest\":1}}");
        Older gentoo = older("us-east-1", "old-gentoo", "gentoo/x86_64/gentoo-latest-x86_64-{timestamp}", true, true);
        Map<String, Object> resources = f.smokeTested();

        retention().handleRequest(f.doc(resources), null);

        assertEquals(List.of((String) resources.get(Resources.IMAGE_ID), gentoo.imageId()), imageIds("us-east-1"));
    }

    @Test
    void copyRegionsKeepTheirNewestToo() {
        f = new Fixture("{\"publish\":{\"keepLatest\":1,\"copyToRegions\":[\"eu-west-1\"]}}");
        Older west = older("eu-west-1", "old-west", FAMILY, true, true);
        Map<String, Object> resources = f.copiesAvailable();

        retention().handleRequest(f.doc(resources), null);

        assertEquals(List.of(CopyImageHandlerTest.copies(resources).get("eu-west-1")), imageIds("eu-west-1"));
        assertTrue(!snapshotIds("eu-west-1").contains(west.snapshotId()));
    }

    @Test
    void thisBuildsImageAndPendingImagesOfOtherBuildsAreKept() {
        f = new Fixture("{\"publish\":{\"keepLatest\":1}}");
        Duration imageTakes = f.aws.timings().image;
        f.aws.timings().image = null;
        Older inTheMaking = older("us-east-1", "old-pending", FAMILY, true, true);
        f.aws.timings().image = imageTakes;
        Map<String, Object> resources = f.smokeTested();
        Older newer = older("us-east-1", "newer", FAMILY, true, true);

        retention().handleRequest(f.doc(resources), null);

        assertEquals(List.of(newer.imageId(), (String) resources.get(Resources.IMAGE_ID), inTheMaking.imageId()),
                imageIds("us-east-1"));
    }

    @Test
    void snapshotWithoutTheManagedTagSurvivesItsImage() {
        f = new Fixture("{\"publish\":{\"keepLatest\":1}}");
        Older mixed = older("us-east-1", "old-mixed", FAMILY, true, false);
        Map<String, Object> resources = f.smokeTested();

        retention().handleRequest(f.doc(resources), null);

        assertEquals(List.of((String) resources.get(Resources.IMAGE_ID)), imageIds("us-east-1"));
        assertTrue(snapshotIds("us-east-1").contains(mixed.snapshotId()));
    }

    @Test
    void retryRemovesNothingMore() {
        older("us-east-1", "old-1", FAMILY, true, true);
        older("us-east-1", "old-2", FAMILY, true, true);
        older("us-east-1", "old-3", FAMILY, true, true);
        Map<String, Object> resources = f.smokeTested();
        retention().handleRequest(f.doc(resources), null);
        long deregistered = f.calls("ec2", "DeregisterImage");
        long deleted = f.calls("ec2", "DeleteSnapshot");

        retention().handleRequest(f.doc(resources), null);

        assertEquals(1, deregistered);
        assertEquals(deregistered, f.calls("ec2", "DeregisterImage"));
        assertEquals(deleted, f.calls("ec2", "DeleteSnapshot"));
    }

    // ---- snapshots that outlived their image

    @Test
    void snapshotLeftByARetentionThatDiedAfterDeregisteringIsDeletedByTheRetry() {
        f = new Fixture("{\"publish\":{\"keepLatest\":1}}");
        Older o1 = older("us-east-1", "old-1", FAMILY, true, true);
        Map<String, Object> resources = f.smokeTested();
        f.aws.faults().failNth("ec2", "DeleteSnapshot", 1, "RequestLimitExceeded");

        Expect.retried(ErrorName.AwsTransient, "RequestLimitExceeded", () -> retention().handleRequest(f.doc(resources), null));
        assertEquals(List.of((String) resources.get(Resources.IMAGE_ID)), imageIds("us-east-1"));
        assertTrue(snapshotIds("us-east-1").contains(o1.snapshotId()), "deregistered, its snapshot not yet deleted");

        retention().handleRequest(f.doc(resources), null);

        assertEquals(List.of((String) resources.get(Resources.SNAPSHOT_ID)), snapshotIds("us-east-1"));
        assertEquals(List.of((String) resources.get(Resources.IMAGE_ID)), imageIds("us-east-1"));
    }

    @Test
    void orphanOfAnEarlierCrashedRetentionIsDeletedByTheNextBuildsRetention() {
        Older kept = older("us-east-1", "old-1", FAMILY, true, true);
        Older orphaned = older("us-east-1", "old-2", FAMILY, true, true);
        f.aws.ec2().deregisterImage(r -> r.imageId(orphaned.imageId()));
        Map<String, Object> resources = f.smokeTested();

        retention().handleRequest(f.doc(resources), null);

        assertEquals(List.of((String) resources.get(Resources.IMAGE_ID), kept.imageId()), imageIds("us-east-1"),
                "keepLatest 3: no image retired");
        assertEquals(List.of(kept.snapshotId(), (String) resources.get(Resources.SNAPSHOT_ID)),
                snapshotIds("us-east-1"));
    }

    @Test
    void orphanedSnapshotOfACopyIsDeletedInItsRegion() {
        f = new Fixture("{\"publish\":{\"keepLatest\":2,\"copyToRegions\":[\"eu-west-1\"]}}");
        Older source = older("us-east-1", "old-1", FAMILY, true, true);
        String copyId = f.aws.ec2("eu-west-1").copyImage(r -> r.sourceRegion("us-east-1")
                .sourceImageId(source.imageId()).name("funtoo-next-x86_64-old-1")
                .tagSpecifications(tags(ResourceType.IMAGE, "old-1", "image", true, Map.of(Tags.FAMILY, FAMILY)),
                        tags(ResourceType.SNAPSHOT, "old-1", "snapshot", true, Map.of(Tags.FAMILY, FAMILY))))
                .imageId();
        f.aws.clock().advance(f.aws.timings().imageCopy.plusSeconds(1));
        f.aws.ec2("eu-west-1").deregisterImage(r -> r.imageId(copyId));
        assertEquals(1, snapshotIds("eu-west-1").size());
        Map<String, Object> resources = f.copiesAvailable();

        retention().handleRequest(f.doc(resources), null);

        String ownCopy = CopyImageHandlerTest.copies(resources).get("eu-west-1");
        assertEquals(List.of(ownCopy), imageIds("eu-west-1"));
        assertEquals(List.of(f.aws.ec2("eu-west-1").describeImages(r -> r.imageIds(ownCopy)).images().get(0)
                .blockDeviceMappings().get(0).ebs().snapshotId()), snapshotIds("eu-west-1"));
    }

    @Test
    void snapshotOfABuildBetweenItsCreateSnapshotAndRegisterImageIsNotAnOrphan() {
        Ec2Client ec2 = f.aws.ec2();
        String liveVolume = ec2.createVolume(r -> r.availabilityZone("us-east-1a").size(10)).volumeId();
        f.aws.clock().advance(f.aws.timings().volumeCreating);
        String inTheMaking = ec2.createSnapshot(r -> r.volumeId(liveVolume).tagSpecifications(
                tags(ResourceType.SNAPSHOT, "concurrent", "root", true, Map.of(Tags.FAMILY, FAMILY)))).snapshotId();
        Map<String, Object> resources = f.smokeTested();

        retention().handleRequest(f.doc(resources), null);

        assertTrue(snapshotIds("us-east-1").contains(inTheMaking), "its volume lives: an image may follow");
    }

    @Test
    void snapshotsThatBackAnImageOrAreNotTheBuildersOrOfAnotherFamilyAreNeverOrphans() {
        Older unmanagedOrphan = older("us-east-1", "old-1", FAMILY, true, false);
        f.aws.ec2().deregisterImage(r -> r.imageId(unmanagedOrphan.imageId()));
        Older otherFamily = older("us-east-1", "old-2", "gentoo/x86_64/gentoo-latest-x86_64-{timestamp}", true, true);
        f.aws.ec2().deregisterImage(r -> r.imageId(otherFamily.imageId()));
        Older underAForeignImage = older("us-east-1", "old-3", FAMILY, true, true);
        f.aws.ec2().deregisterImage(r -> r.imageId(underAForeignImage.imageId()));
        f.aws.ec2().registerImage(r -> r.name("someone-elses").architecture("x86_64").rootDeviceName("/dev/xvda")
                .virtualizationType("hvm").enaSupport(true).blockDeviceMappings(m -> m.deviceName("/dev/xvda")
                        .ebs(e -> e.snapshotId(underAForeignImage.snapshotId()))));
        Older kept = older("us-east-1", "old-4", FAMILY, true, true);
        Map<String, Object> resources = f.smokeTested();
        long deletes = f.calls("ec2", "DeleteSnapshot");

        retention().handleRequest(f.doc(resources), null);

        assertEquals(deletes, f.calls("ec2", "DeleteSnapshot"));
        assertTrue(snapshotIds("us-east-1").containsAll(List.of(unmanagedOrphan.snapshotId(),
                otherFamily.snapshotId(), underAForeignImage.snapshotId(), kept.snapshotId(),
                (String) resources.get(Resources.SNAPSHOT_ID))));
    }

    @Test
    void withoutKeepLatestNothingIsLookedAt() {
        f = new Fixture();
        older("us-east-1", "old-1", FAMILY, true, true);
        Map<String, Object> resources = f.smokeTested();
        long before = f.aws.calls().size();
        retention().handleRequest(f.doc(resources), null);
        assertEquals(before, f.aws.calls().size());
    }

    private ApplyRetentionHandler retention() {
        return new ApplyRetentionHandler(f.deps());
    }

    /** Registers an image of an earlier build in {@code region}, a little older than everything after it. */
    private Older older(String region, String buildId, String family, boolean managedImage, boolean managedSnapshot) {
        Ec2Client ec2 = f.aws.ec2(region);
        String volumeId = ec2.createVolume(r -> r.availabilityZone(region + "a").size(10)).volumeId();
        f.aws.clock().advance(f.aws.timings().volumeCreating);
        String snapshotId = ec2.createSnapshot(r -> r.volumeId(volumeId)
                .tagSpecifications(tags(ResourceType.SNAPSHOT, buildId, "snapshot", managedSnapshot,
                        Map.of(Tags.FAMILY, family))))
                .snapshotId();
        f.aws.clock().advance(f.aws.timings().snapshot.plusSeconds(1));
        ec2.deleteVolume(r -> r.volumeId(volumeId));
        String imageId = ec2.registerImage(r -> r.name("funtoo-next-x86_64-" + buildId).architecture("x86_64")
                .rootDeviceName("/dev/xvda").virtualizationType("hvm").enaSupport(true)
                .blockDeviceMappings(m -> m.deviceName("/dev/xvda").ebs(e -> e.snapshotId(snapshotId)))
                .tagSpecifications(tags(ResourceType.IMAGE, buildId, "image", managedImage,
                        Map.of(Tags.FAMILY, family)))).imageId();
        if (f.aws.timings().image != null) {
            f.aws.clock().advance(f.aws.timings().image.plusSeconds(1));
        }
        return new Older(imageId, snapshotId);
    }

    private static TagSpecification tags(ResourceType type, String buildId, String purpose, boolean managed,
                                         Map<String, String> extra) {
        Map<String, String> tags = new LinkedHashMap<>(extra);
        if (managed) {
            tags.put(Tags.BUILD_ID, buildId);
            tags.put(Tags.MANAGED, "true");
            tags.put(Tags.NAME, Tags.name(buildId, purpose));
        } else {
            tags.put("team", "someone-else");
        }
        List<Tag> sdk = new ArrayList<>();
        tags.forEach((k, v) -> sdk.add(Tag.builder().key(k).value(v).build()));
        return TagSpecification.builder().resourceType(type).tags(sdk).build();
    }

    /** This account's images in the region, newest first. */
    private List<String> imageIds(String region) {
        return f.aws.ec2(region).describeImages(r -> r.owners("self")).images().stream()
                .sorted((a, b) -> b.creationDate().compareTo(a.creationDate()))
                .map(Image::imageId).toList();
    }

    private List<String> snapshotIds(String region) {
        return f.aws.ec2(region).describeSnapshots(r -> r.ownerIds("self")).snapshots().stream()
                .map(s -> s.snapshotId()).toList();
    }
}
