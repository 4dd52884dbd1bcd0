package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.sim.BootBehaviour;
import org.funtoo.amibuilder.sim.SimTimings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * End to end: every published AMI has booted (smoke test), publishing to regions and accounts, retention,
 * notifications; each scenario ends with what is left in the account and the IAM replay.
 */
class TrustAndDistributionEndToEndTest {
    private static final String FAMILY = "funtoo/x86_64/funtoo-next-x86_64-{timestamp}";
    private final OfflineBuild account = new OfflineBuild(SimTimings.realistic());

    @AfterEach
    void everyCallWasAllowedByTheCallersPolicy(org.junit.jupiter.api.TestInfo test) {
        try {
            account.assertEveryCallAllowed(test.getDisplayName());
        } finally {
            account.close();
        }
    }

    @AfterAll
    static void reportPermissionsNeverUsed() {
        OfflineBuild.reportPermissionsNeverUsed();
    }

    @Test
    void xenSmokeTestTypeIsReadWithoutLatestWhichOnlyNitroServes() {
        LocalExecution.Result r = account.build("trust-xen", "{\"smokeTest\": {\"instanceType\": \"t2.micro\"}}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        var reads = account.aws.calls().matching(c -> c.operation().equals("GetConsoleOutput"));
        assertTrue(!reads.isEmpty() && reads.stream().allMatch(c -> c.succeeded() && !Boolean.TRUE.equals(
                ((software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest) c.request()).latest())),
                reads.toString());
        LocalExecution.Result nitro = account.build("trust-nitro", "{\"image\": {\"name\": \"nitro-{timestamp}\"}}");
        assertEquals("SUCCEEDED", nitro.status(), () -> nitro.error() + ": " + nitro.cause());
        assertTrue(account.aws.calls().matching(c -> c.operation().equals("GetConsoleOutput")).stream()
                .anyMatch(c -> Boolean.TRUE.equals(
                        ((software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest) c.request()).latest())),
                "a Nitro type's console is read with Latest");
    }

    @Test
    void imageThatBootsIsSmokeTestedThenPublishedAndAnnounced() {
        LocalExecution.Result r = account.build("trust-pass", "{}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        assertTrue(r.statesEntered().containsAll(List.of("LaunchTestInstance", "CheckTestInstanceStatus",
                "CheckFirstBootMarker", "TerminateTestInstance", "PublishParameter")), r.statesEntered().toString());
        assertTrue(r.statesEntered().indexOf("CheckFirstBootMarker") < r.statesEntered().indexOf("PublishParameter"),
                "published only after the smoke test passed");
        String imageId = r.output().path("imageId").asText();
        assertEquals(List.of("image", "snapshot", "ssm-parameter"), account.leftoverTypes("trust-pass"));
        assertEquals(imageId, account.aws.ssm().getParameter(b -> b.name(r.output().path("ssmParameter").asText()))
                .parameter().value());
        assertTrue(account.aws.sns().published().stream().anyMatch(m -> m.message().contains(imageId)),
                account.aws.sns().published().toString());
        assertTrue(account.aws.events().published().stream()
                .anyMatch(e -> e.detailType().equals("AMI Build Succeeded") && e.detail().contains(imageId)));
    }

    @Test
    void nextBuildOverwritesTheParameterItDoesNotOwn() {
        LocalExecution.Result first = account.build("trust-week-1", "{}");
        LocalExecution.Result second = account.build("trust-week-2", "{}");

        assertEquals("SUCCEEDED", first.status(), () -> first.error() + ": " + first.cause());
        assertEquals("SUCCEEDED", second.status(), () -> second.error() + ": " + second.cause());
        String parameter = second.output().path("ssmParameter").asText();
        assertEquals(first.output().path("ssmParameter").asText(), parameter);
        assertEquals(second.output().path("imageId").asText(),
                account.aws.ssm().getParameter(b -> b.name(parameter)).parameter().value());
        assertEquals(List.of("image", "snapshot", "ssm-parameter"), account.leftoverTypes("trust-week-1"),
                "the parameter keeps the tags of the build that created it");
        assertEquals(List.of("image", "snapshot"), account.leftoverTypes("trust-week-2"));
    }

    @Test
    void imageWithoutTheFirstBootMarkerFailsTheSmokeTestAndIsRemoved() {
        account.aws.ec2().defaultBoot(BootBehaviour.boots("Linux version 6.6 (simulated)\nlogin: "));

        LocalExecution.Result r = account.build("trust-no-marker", "{}");

        assertEquals("FAILED", r.status());
        assertEquals("SmokeTestFailed", r.error());
        assertTrue(r.cause().contains("login:"), "the console lines are in the cause: " + r.cause());
        assertFalse(r.statesEntered().contains("PublishParameter"));
        assertEquals(List.of(), account.leftovers("trust-no-marker"), "no AMI, no snapshot, no test instance");
        assertTrue(account.aws.events().published().stream().anyMatch(e -> e.detailType().equals("AMI Build Failed")
                && e.detail().contains("SmokeTestFailed")));
    }

    @Test
    void imageThatFailsItsStatusChecksFailsTheSmokeTestAndIsRemoved() {
        account.aws.ec2().defaultBoot(BootBehaviour.failsToBoot("Kernel panic - not syncing: VFS: Unable to mount root fs"));

        LocalExecution.Result r = account.build("trust-panic", "{}");

        assertEquals("FAILED", r.status());
        assertEquals("SmokeTestFailed", r.error());
        assertTrue(r.cause().contains("Kernel panic"), r.cause());
        assertEquals(List.of(), account.leftovers("trust-panic"));
        assertTrue(account.aws.sns().published().stream().anyMatch(m -> m.message().contains("SmokeTestFailed")));
    }

    @Test
    void publishingCopiesToTwoRegionsSharesAndDeprecatesEveryCopy() {
        LocalExecution.Result r = account.build("trust-publish", """
                {"publish": {"copyToRegions": ["eu-west-1", "ap-southeast-2"],
                             "launchPermissionAccountIds": ["111122223333"], "deprecateAfterDays": 90}}""");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        String parameter = r.output().path("ssmParameter").asText();
        for (String region : List.of("us-east-1", "eu-west-1", "ap-southeast-2")) {
            Ec2Client ec2 = account.aws.ec2(region);
            List<Image> images = ec2.describeImages(b -> b.owners("self")).images();
            assertEquals(1, images.size(), region + ": " + images);
            Image image = images.get(0);
            assertEquals("available", image.stateAsString(), region);
            assertEquals("true", tag(image, Tags.MANAGED), region + ": the copy carries the builder's tags");
            assertNotNull(image.deprecationTime(), region + ": deprecated after 90 days");
            assertTrue(ec2.describeImageAttribute(b -> b.imageId(image.imageId())
                            .attribute(ImageAttributeName.LAUNCH_PERMISSION)).launchPermissions().stream()
                    .anyMatch(p -> "111122223333".equals(p.userId())), region + ": shared with the account");
            assertEquals(image.imageId(), account.aws.ssm(region).getParameter(b -> b.name(parameter))
                    .parameter().value(), region + ": the parameter names this region's copy");
        }
    }

    @Test
    void retentionKeepsTheNewestBuilderImagesOfTheFamilyAndNeverTouchesAForeignOne() {
        // an earlier retention died between deregistering old-0 and deleting its snapshot
        String[] orphaned = olderImage("old-0", true);
        account.aws.ec2().deregisterImage(b -> b.imageId(orphaned[0]));
        List<String[]> older = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            older.add(olderImage("old-" + i, i != 2));
        }

        LocalExecution.Result r = account.build("trust-retention", "{\"publish\": {\"keepLatest\": 3}}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        List<String> images = account.aws.ec2().describeImages(b -> b.owners("self")).images().stream()
                .map(Image::imageId).toList();
        List<String> snapshots = account.aws.ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots().stream()
                .map(s -> s.snapshotId()).toList();
        // managed, oldest first: old-1, old-3, old-4, old-5, then the new one; keep the newest 3
        for (int i : List.of(1, 3)) {
            assertFalse(images.contains(older.get(i - 1)[0]), "old-" + i + " deregistered");
            assertFalse(snapshots.contains(older.get(i - 1)[1]), "old-" + i + "'s snapshot deleted");
        }
        for (int i : List.of(2, 4, 5)) {
            assertTrue(images.contains(older.get(i - 1)[0]), "old-" + i + " kept");
            assertTrue(snapshots.contains(older.get(i - 1)[1]), "old-" + i + "'s snapshot kept");
        }
        assertTrue(images.contains(r.output().path("imageId").asText()));
        assertFalse(snapshots.contains(orphaned[1]), "the orphaned snapshot of old-0 deleted");
    }

    /**
     * An image of an earlier build of the same family ({image id, snapshot id}), both family-tagged as the builder's
     * CreateSnapshot and RegisterImage tag them; foreign = not builder-tagged.
     */
    private String[] olderImage(String buildId, boolean builderMade) {
        Ec2Client ec2 = account.aws.ec2();
        String volumeId = ec2.createVolume(b -> b.availabilityZone("us-east-1a").size(10)).volumeId();
        account.aws.clock().advance(account.aws.timings().volumeCreating);
        String snapshotId = ec2.createSnapshot(b -> b.volumeId(volumeId)
                .tagSpecifications(tags(ResourceType.SNAPSHOT, buildId, builderMade, Map.of(Tags.FAMILY, FAMILY))))
                .snapshotId();
        account.aws.clock().advance(account.aws.timings().snapshot.plusSeconds(1));
        ec2.deleteVolume(b -> b.volumeId(volumeId));
        String imageId = ec2.registerImage(b -> b.name("funtoo-next-x86_64-" + buildId).architecture("x86_64")
                .rootDeviceName("/dev/xvda").virtualizationType("hvm").enaSupport(true)
                .blockDeviceMappings(m -> m.deviceName("/dev/xvda").ebs(e -> e.snapshotId(snapshotId)))
                .tagSpecifications(tags(ResourceType.IMAGE, buildId, builderMade, Map.of(Tags.FAMILY, FAMILY))))
                .imageId();
        account.aws.clock().advance(account.aws.timings().image.plusSeconds(1));
        return new String[] {imageId, snapshotId};
    }

    private static TagSpecification tags(ResourceType type, String buildId, boolean builderMade,
                                         Map<String, String> extra) {
        Map<String, String> tags = new LinkedHashMap<>(extra);
        if (builderMade) {
            tags.put(Tags.BUILD_ID, buildId);
            tags.put(Tags.MANAGED, "true");
        } else {
            tags.put("team", "someone-else");
        }
        return TagSpecification.builder().resourceType(type)
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                        .toList())
                .build();
    }

    private static String tag(Image image, String key) {
        return image.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }
}
