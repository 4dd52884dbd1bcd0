package org.funtoo.amibuilder.sim;

import static org.funtoo.amibuilder.sim.SimEc2Fixture.code;
import static org.funtoo.amibuilder.sim.SimEc2Fixture.filter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.RegisterImageRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

class SimEc2ImagesTest {
    private static final String NAME = "funtoo-next-x86_64-2026-01-01";

    private final SimEc2Fixture f = new SimEc2Fixture();
    private final SimEc2 ec2 = f.ec2;
    private final Duration snapshotTakes = f.aws.timings().snapshot;

    // ---- snapshots

    @Test
    void snapshotProgressesFromPendingToCompletedOverTimingsSnapshot() {
        String snapshotId = snapshotOfTarget();
        Snapshot started = snapshot(snapshotId);
        assertEquals("pending", started.stateAsString());
        assertEquals("0%", started.progress());
        assertEquals(SimEc2Fixture.builderTags("snapshot"), tags(started.tags()));

        f.advance(snapshotTakes.dividedBy(2));
        assertEquals("50%", snapshot(snapshotId).progress());
        assertEquals("pending", snapshot(snapshotId).stateAsString());

        f.advance(snapshotTakes.dividedBy(2));
        Snapshot done = snapshot(snapshotId);
        assertEquals("completed", done.stateAsString());
        assertEquals("100%", done.progress());
        assertEquals(20, done.volumeSize());
    }

    @Test
    void snapshotWithoutATimingStaysPendingForever() {
        f.aws.timings().snapshot = null;
        String snapshotId = snapshotOfTarget();
        f.advance(Duration.ofDays(2));
        assertEquals("pending", snapshot(snapshotId).stateAsString());
    }

    @Test
    void failNextSnapshotMakesTheNextOneEndInError() {
        ec2.failNextSnapshot();
        String failing = snapshotOfTarget();
        f.advance(snapshotTakes);

        Snapshot failed = snapshot(failing);
        assertEquals("error", failed.stateAsString());
        assertTrue(failed.stateMessage() != null && !failed.stateMessage().isEmpty());
        f.advance(Duration.ofMinutes(1));
        String next = snapshotOfTarget();
        f.advance(snapshotTakes);
        assertEquals("completed", snapshot(next).stateAsString());
    }

    @Test
    void snapshotsOfOneVolumeMustBeFifteenSecondsApart() {
        String volumeId = targetVolume();
        ec2.createSnapshot(b -> b.volumeId(volumeId));
        assertEquals("SnapshotCreationPerVolumeRateExceeded", code(() -> ec2.createSnapshot(b -> b.volumeId(volumeId))));
        assertEquals(1, ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().size());
    }

    @Test
    void describeSnapshotsFindsOwnSnapshotsByTagAndRejectsBadOwners() {
        String snapshotId = snapshotOfTarget();
        List<String> found = ec2.describeSnapshots(b -> b.ownerIds("self")
                .filters(filter("tag:" + SimAws.BUILD_ID_TAG, SimEc2Fixture.BUILD))).snapshots().stream()
                .map(Snapshot::snapshotId).toList();
        assertEquals(List.of(snapshotId), found);
        assertTrue(ec2.describeSnapshots(b -> b.ownerIds("amazon")).snapshots().isEmpty());
        assertEquals("InvalidUserID.Malformed", code(() -> ec2.describeSnapshots(b -> b.ownerIds("me"))));
    }

    // ---- registration

    @Test
    void registerImageFromAPendingSnapshotFailsWithIncorrectState() {
        String snapshotId = snapshotOfTarget();
        assertEquals("IncorrectState", code(() -> ec2.registerImage(register(snapshotId, NAME).build())));
        assertTrue(ownImages().isEmpty());
    }

    @Test
    void imageIsPendingUntilTimingsImageAfterRegistrationThenAvailable() {
        String snapshotId = completedSnapshot();
        String imageId = ec2.registerImage(register(snapshotId, NAME).build()).imageId();
        assertEquals("pending", image(imageId).stateAsString());

        f.advance(f.aws.timings().image.minusSeconds(1));
        assertEquals("pending", image(imageId).stateAsString());
        f.advance(Duration.ofSeconds(1));

        Image available = image(imageId);
        assertEquals("available", available.stateAsString());
        assertEquals(NAME, available.name());
        assertEquals(SimAws.ACCOUNT_ID, available.ownerId());
        assertEquals("x86_64", available.architectureAsString());
        assertEquals("uefi-preferred", available.bootModeAsString());
        assertEquals("v2.0", available.imdsSupportAsString());
        assertTrue(available.enaSupport());
        assertEquals(snapshotId, available.blockDeviceMappings().get(0).ebs().snapshotId());
        assertEquals(20, available.blockDeviceMappings().get(0).ebs().volumeSize());
        assertEquals(SimEc2Fixture.builderTags("image"), tags(available.tags()));
    }

    @Test
    void registerImageWithTakenNameFailsWithDuplicate() {
        String snapshotId = completedSnapshot();
        ec2.registerImage(register(snapshotId, NAME).build());
        assertEquals("InvalidAMIName.Duplicate", code(() -> ec2.registerImage(register(snapshotId, NAME).build())));
        assertEquals(1, ownImages().size());
    }

    @Test
    void registerImageWithMalformedNameFailsWithMalformed() {
        String snapshotId = completedSnapshot();
        assertEquals("InvalidAMIName.Malformed", code(() -> ec2.registerImage(register(snapshotId, "ab").build())));
        assertEquals("InvalidAMIName.Malformed", code(() -> ec2.registerImage(register(snapshotId, "a:b*c").build())));
        assertEquals("InvalidAMIName.Malformed", code(() -> ec2.registerImage(register(snapshotId, "x".repeat(129))
                .build())));
        ec2.registerImage(register(snapshotId, "funtoo (next) [x86_64] 1.0/a-b_c@d").build());
    }

    @Test
    void imageRegisteredWithAwsDefaultsCannotBootOnNitro() {
        String snapshotId = completedSnapshot();
        String imageId = ec2.registerImage(register(snapshotId, NAME).architecture((String) null)
                .virtualizationType(null).enaSupport(null).build()).imageId();
        f.advance(f.aws.timings().image);

        Image image = image(imageId);
        assertEquals("i386", image.architectureAsString());
        assertEquals("paravirtual", image.virtualizationTypeAsString());
        SimEc2Fixture.Network net = f.network();
        assertEquals("InvalidParameterValue", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId)
                .imageId(imageId).build())));
    }

    @Test
    void imageRegisteredWithoutEnaCannotLaunchOnNitroTypes() {
        String snapshotId = completedSnapshot();
        String imageId = ec2.registerImage(register(snapshotId, NAME).enaSupport(null).build()).imageId();
        f.advance(f.aws.timings().image);
        SimEc2Fixture.Network net = f.network();
        assertEquals("InvalidParameterCombination", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId,
                net.groupId).imageId(imageId).build())));
    }

    @Test
    void builtImageLaunchesWithItsSnapshotAsRootAndBootsAsTheScenarioSays() {
        String snapshotId = completedSnapshot();
        String imageId = ec2.registerImage(register(snapshotId, NAME).build()).imageId();
        SimEc2Fixture.Network net = f.network();
        assertEquals("InvalidAMIID.Unavailable", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId,
                net.groupId).imageId(imageId).build())));
        f.advance(f.aws.timings().image);
        ec2.defaultBoot(BootBehaviour.failsToBoot("grub rescue>"));

        String instanceId = ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId).imageId(imageId)
                .blockDeviceMappings(List.of()).build()).instances().get(0).instanceId();
        f.advance(f.aws.timings().instancePending.plus(f.aws.timings().statusChecksOk));

        assertEquals(snapshotId, ec2.describeVolumes(b -> b.filters(filter("attachment.instance-id", instanceId)))
                .volumes().get(0).snapshotId());
        assertEquals("impaired", ec2.describeInstanceStatus(b -> b.instanceIds(instanceId)).instanceStatuses().get(0)
                .instanceStatus().statusAsString());
        assertFalse(ec2.instanceFacts(instanceId).orElseThrow().ssmAgentInstalled());
    }

    @Test
    void failNextImageEndsFailedWithAStateReason() {
        String snapshotId = completedSnapshot();
        ec2.failNextImage();
        String imageId = ec2.registerImage(register(snapshotId, NAME).build()).imageId();
        f.advance(f.aws.timings().image);

        Image failed = image(imageId);
        assertEquals("failed", failed.stateAsString());
        assertTrue(failed.stateReason().message() != null);
    }

    // ---- the snapshot behind an image

    @Test
    void deleteSnapshotBackingRegisteredImageFailsWithInUse() {
        String snapshotId = completedSnapshot();
        String imageId = ec2.registerImage(register(snapshotId, NAME).build()).imageId();

        assertEquals("InvalidSnapshot.InUse", code(() -> ec2.deleteSnapshot(b -> b.snapshotId(snapshotId))));
        ec2.deregisterImage(b -> b.imageId(imageId));
        ec2.deleteSnapshot(b -> b.snapshotId(snapshotId));
        assertEquals("InvalidSnapshot.NotFound", code(() -> snapshot(snapshotId)));
        assertEquals("InvalidAMIID.NotFound", code(() -> image(imageId)));
    }

    @Test
    void deregisterImageCanDeleteItsSnapshotsButNotAmazonsImages() {
        String snapshotId = completedSnapshot();
        String imageId = ec2.registerImage(register(snapshotId, NAME).build()).imageId();

        var result = ec2.deregisterImage(b -> b.imageId(imageId).deleteAssociatedSnapshots(true));

        assertEquals("success", result.deleteSnapshotResults().get(0).returnCodeAsString());
        assertTrue(ec2.describeSnapshots(b -> b.ownerIds("self")).snapshots().isEmpty());
        assertEquals("AuthFailure", code(() -> ec2.deregisterImage(b -> b.imageId(SimAws.AL2023_X86_64_IMAGE_ID))));
    }

    // ---- finding images

    @Test
    void amazonLinuxImagesExistInEveryRegionWithTheirSsmAgentAndEna() {
        for (String region : List.of("us-east-1", "eu-central-1")) {
            List<Image> al2023 = f.aws.ec2(region).describeImages(b -> b.owners("amazon")
                    .filters(filter("name", "al2023-ami-2023.*-kernel-6.1-*"))).images();
            Map<String, String> archById = al2023.stream()
                    .collect(Collectors.toMap(Image::imageId, Image::architectureAsString));
            assertEquals(Map.of(SimAws.AL2023_X86_64_IMAGE_ID, "x86_64", SimAws.AL2023_ARM64_IMAGE_ID, "arm64"),
                    archById);
            assertTrue(al2023.stream().allMatch(i -> i.enaSupport() && i.stateAsString().equals("available")
                    && i.publicLaunchPermissions() && "amazon".equals(i.imageOwnerAlias())));
        }
        assertTrue(ec2.describeImages(b -> b.owners("self")).images().isEmpty());
    }

    @Test
    void describeImagesFindsOwnImageByNameAndState() {
        String snapshotId = completedSnapshot();
        String imageId = ec2.registerImage(register(snapshotId, NAME).build()).imageId();

        assertEquals(List.of(imageId), ec2.describeImages(b -> b.owners("self").filters(filter("name", NAME)))
                .images().stream().map(Image::imageId).toList());
        assertTrue(ec2.describeImages(b -> b.owners("self").filters(filter("state", "available"))).images()
                .isEmpty());
        assertEquals("InvalidUserID.Malformed", code(() -> ec2.describeImages(b -> b.owners("someone"))));
    }

    // ---- publishing

    @Test
    void copiedImageIsPendingUntilTimingsImageCopyAndCopiesTagsOnlyWhenAsked() {
        String imageId = availableImage();
        SimEc2 west = f.aws.ec2("us-west-2");

        String withTags = west.copyImage(b -> b.sourceRegion("us-east-1").sourceImageId(imageId).name(NAME)
                .copyImageTags(true)).imageId();
        String withoutTags = west.copyImage(b -> b.sourceRegion("us-east-1").sourceImageId(imageId)
                .name(NAME + "-b")).imageId();

        assertTrue(!withTags.equals(imageId));
        Image copy = west.describeImages(b -> b.imageIds(withTags)).images().get(0);
        assertEquals("pending", copy.stateAsString());
        assertEquals(imageId, copy.sourceImageId());
        assertEquals(SimEc2Fixture.builderTags("image"), tags(copy.tags()));
        assertTrue(west.describeImages(b -> b.imageIds(withoutTags)).images().get(0).tags().isEmpty());
        f.advance(f.aws.timings().imageCopy);
        assertEquals("available", west.describeImages(b -> b.imageIds(withTags)).images().get(0).stateAsString());
        assertEquals("completed", west.describeSnapshots(b -> b.ownerIds("self")).snapshots().get(0).stateAsString());
        assertEquals("InvalidAMIName.Duplicate", code(() -> west.copyImage(b -> b.sourceRegion("us-east-1")
                .sourceImageId(imageId).name(NAME))));
        assertEquals("InvalidAMIID.NotFound", code(() -> west.copyImage(b -> b.sourceRegion("eu-west-1")
                .sourceImageId(imageId).name("elsewhere"))));
    }

    @Test
    void concurrentSnapshotCopiesPerDestinationRegionAreLimitedByTheirQuota() {
        String imageId = availableImage();
        SimEc2 west = f.aws.ec2("us-west-2");
        assertEquals(20, f.aws.quotas().limit("us-west-2", SimQuotas.Quota.CONCURRENT_SNAPSHOT_COPIES));
        f.aws.quotas().set("us-west-2", SimQuotas.Quota.CONCURRENT_SNAPSHOT_COPIES, 1);
        west.copyImage(b -> b.sourceRegion("us-east-1").sourceImageId(imageId).name(NAME));

        assertEquals("ResourceLimitExceeded", code(() -> west.copyImage(b -> b.sourceRegion("us-east-1")
                .sourceImageId(imageId).name(NAME + "-2"))));
        f.aws.ec2("eu-west-1").copyImage(b -> b.sourceRegion("us-east-1").sourceImageId(imageId).name(NAME));
        f.advance(f.aws.timings().imageCopy);
        west.copyImage(b -> b.sourceRegion("us-east-1").sourceImageId(imageId).name(NAME + "-2"));
    }

    @Test
    void launchPermissionForAllMakesTheImagePublicAndCanBeRevoked() {
        String imageId = availableImage();
        ec2.modifyImageAttribute(b -> b.imageId(imageId).launchPermission(p -> p
                .add(LaunchPermission.builder().group("all").build())));

        assertTrue(image(imageId).publicLaunchPermissions());
        assertEquals(List.of("all"), ec2.describeImageAttribute(b -> b.imageId(imageId).attribute("launchPermission"))
                .launchPermissions().stream().map(LaunchPermission::groupAsString).toList());
        assertEquals("InvalidAMIAttributeItemValue", code(() -> ec2.modifyImageAttribute(b -> b.imageId(imageId)
                .launchPermission(p -> p.add(LaunchPermission.builder().userId("not-an-account").build())))));

        ec2.modifyImageAttribute(b -> b.imageId(imageId).launchPermission(p -> p
                .remove(LaunchPermission.builder().group("all").build())));
        assertFalse(image(imageId).publicLaunchPermissions());
    }

    @Test
    void enableImageDeprecationRoundsToTheMinuteAndOnlyAcceptsTheFuture() {
        String imageId = availableImage();
        Instant now = f.aws.clock().instant();

        ec2.enableImageDeprecation(b -> b.imageId(imageId).deprecateAt(now.plus(Duration.ofDays(30)).plusSeconds(40)));

        String expected = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                .format(now.plus(Duration.ofDays(30)).plusSeconds(60));
        assertEquals(expected, image(imageId).deprecationTime());
        assertEquals("InvalidParameterValue", code(() -> ec2.enableImageDeprecation(b -> b.imageId(imageId)
                .deprecateAt(now.minus(Duration.ofDays(1))))));
        assertNull(image(SimAws.AL2023_X86_64_IMAGE_ID).deprecationTime());
    }

    @Test
    void enableImageDeprecationMoreThanTenYearsAheadFailsWithInvalidParameterValue() {
        String imageId = availableImage();
        Instant now = f.aws.clock().instant();

        assertEquals("InvalidParameterValue", code(() -> ec2.enableImageDeprecation(b -> b.imageId(imageId)
                .deprecateAt(now.plus(Duration.ofDays(3651))))));
        assertNull(image(imageId).deprecationTime());
        ec2.enableImageDeprecation(b -> b.imageId(imageId).deprecateAt(now.plus(Duration.ofDays(3650))));
        assertTrue(image(imageId).deprecationTime() != null);
    }

    @Test
    void publicImageCanBeDeprecatedAtMostTwoYearsAfterItsCreation() {
        String imageId = availableImage();
        Instant created = Instant.parse(image(imageId).creationDate());
        ec2.enableImageDeprecation(b -> b.imageId(imageId).deprecateAt(created.plus(Duration.ofDays(731))));
        assertTrue(image(imageId).deprecationTime() != null, "a private image may be deprecated later");
        ec2.modifyImageAttribute(b -> b.imageId(imageId).launchPermission(p -> p
                .add(LaunchPermission.builder().group("all").build())));

        assertEquals("InvalidParameterValue", code(() -> ec2.enableImageDeprecation(b -> b.imageId(imageId)
                .deprecateAt(created.plus(Duration.ofDays(731))))));
        String before = image(imageId).deprecationTime();
        ec2.enableImageDeprecation(b -> b.imageId(imageId).deprecateAt(created.plus(Duration.ofDays(730))));
        assertFalse(before.equals(image(imageId).deprecationTime()), "two years after creation is accepted");
    }

    // ---- snapshot sharing (create volume permission)

    @Test
    void snapshotSharedWithAnAccountListsItAndCanBeUnshared() {
        String snapshotId = completedSnapshot();
        ec2.modifySnapshotAttribute(b -> b.snapshotId(snapshotId).createVolumePermission(p -> p
                .add(CreateVolumePermission.builder().userId("210987654321").build())));

        assertEquals(List.of("210987654321"), volumePermissionUsers(snapshotId));
        ec2.modifySnapshotAttribute(b -> b.snapshotId(snapshotId).attribute("createVolumePermission")
                .operationType("remove").userIds("210987654321"));
        assertEquals(List.of(), volumePermissionUsers(snapshotId));
    }

    @Test
    void snapshotSharingRefusesBadAccountsMixedOperationsAndPublicEncryptedSnapshots() {
        String snapshotId = completedSnapshot();
        assertEquals("InvalidUserID.Malformed", code(() -> ec2.modifySnapshotAttribute(b -> b.snapshotId(snapshotId)
                .createVolumePermission(p -> p.add(CreateVolumePermission.builder().userId("12345").build())))));
        assertEquals("InvalidParameterCombination", code(() -> ec2.modifySnapshotAttribute(b -> b
                .snapshotId(snapshotId).createVolumePermission(p -> p
                        .add(CreateVolumePermission.builder().userId("210987654321").build())
                        .remove(CreateVolumePermission.builder().userId("111122223333").build())))));
        assertEquals("MissingParameter", code(() -> ec2.modifySnapshotAttribute(b -> b.snapshotId(snapshotId))));
        assertEquals("InvalidSnapshot.NotFound", code(() -> ec2.modifySnapshotAttribute(b -> b
                .snapshotId("snap-0123456789abcdef0").operationType("add").userIds("210987654321"))));
        assertEquals(List.of(), volumePermissionUsers(snapshotId), "a refused request changes nothing");

        String volumeId = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(8).encrypted(true)).volumeId();
        f.advance(f.aws.timings().volumeCreating);
        String encrypted = ec2.createSnapshot(b -> b.volumeId(volumeId)).snapshotId();
        f.advance(snapshotTakes);
        assertEquals("InvalidParameterValue", code(() -> ec2.modifySnapshotAttribute(b -> b.snapshotId(encrypted)
                .createVolumePermission(p -> p.add(CreateVolumePermission.builder().group("all").build())))));
    }

    // ---- helpers

    private String targetVolume() {
        SimEc2Fixture.Network net = f.network();
        String instanceId = net.launchHelper().instanceId();
        return ec2.describeVolumes(b -> b.filters(filter("attachment.instance-id", instanceId),
                filter("attachment.device", "/dev/sdf"))).volumes().get(0).volumeId();
    }

    private String snapshotOfTarget() {
        String volumeId = targetVolume();
        return ec2.createSnapshot(b -> b.volumeId(volumeId).description("target")
                .tagSpecifications(SimEc2Fixture.tags(ResourceType.SNAPSHOT, "snapshot"))).snapshotId();
    }

    private String completedSnapshot() {
        String snapshotId = snapshotOfTarget();
        f.advance(snapshotTakes);
        return snapshotId;
    }

    private String availableImage() {
        String imageId = ec2.registerImage(register(completedSnapshot(), NAME).build()).imageId();
        f.advance(f.aws.timings().image);
        return imageId;
    }

    private static RegisterImageRequest.Builder register(String snapshotId, String name) {
        return RegisterImageRequest.builder().name(name).architecture("x86_64").virtualizationType("hvm")
                .rootDeviceName("/dev/xvda").enaSupport(true).bootMode("uefi-preferred").imdsSupport("v2.0")
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/xvda").ebs(EbsBlockDevice.builder()
                        .snapshotId(snapshotId).volumeType("gp3").deleteOnTermination(true).build()).build())
                .tagSpecifications(SimEc2Fixture.tags(ResourceType.IMAGE, "image"));
    }

    private List<String> volumePermissionUsers(String snapshotId) {
        return ec2.describeSnapshotAttribute(b -> b.snapshotId(snapshotId).attribute("createVolumePermission"))
                .createVolumePermissions().stream().map(CreateVolumePermission::userId).toList();
    }

    private Snapshot snapshot(String snapshotId) {
        return ec2.describeSnapshots(b -> b.snapshotIds(snapshotId)).snapshots().get(0);
    }

    private Image image(String imageId) {
        return ec2.describeImages(b -> b.imageIds(imageId)).images().get(0);
    }

    private List<Image> ownImages() {
        return ec2.describeImages(b -> b.owners("self")).images();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
