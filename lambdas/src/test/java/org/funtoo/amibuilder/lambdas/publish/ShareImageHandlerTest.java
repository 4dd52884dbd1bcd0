package org.funtoo.amibuilder.lambdas.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;

class ShareImageHandlerTest {
    private static final String ACCOUNT = "210987654321";
    private static final String SHARED_AND_COPIED = "{\"publish\":{\"launchPermissionAccountIds\":[\"" + ACCOUNT
            + "\"],\"copyToRegions\":[\"eu-west-1\"]}}";

    @Test
    void accountsMayLaunchTheImageAndItsCopyAndCreateVolumesFromTheirSnapshots() {
        Fixture f = new Fixture(SHARED_AND_COPIED);
        Map<String, Object> resources = f.copiesAvailable();

        new ShareImageHandler(f.deps()).handleRequest(f.doc(resources), null);

        for (var image : List.of(Map.entry("us-east-1", (String) resources.get(Resources.IMAGE_ID)),
                Map.entry("eu-west-1", CopyImageHandlerTest.copies(resources).get("eu-west-1")))) {
            assertEquals(List.of(ACCOUNT), launchUsers(f, image.getKey(), image.getValue()), image::toString);
            assertEquals(List.of(ACCOUNT), volumeUsers(f, image.getKey(), snapshotOf(f, image.getKey(),
                    image.getValue())), image::toString);
        }
    }

    @Test
    void publicImageIsLaunchableByAllButItsSnapshotStaysPrivate() {
        Fixture f = new Fixture("{\"publish\":{\"public\":true}}");
        Map<String, Object> resources = f.smokeTested();
        String imageId = (String) resources.get(Resources.IMAGE_ID);

        new ShareImageHandler(f.deps()).handleRequest(f.doc(resources), null);

        assertTrue(f.aws.ec2().describeImages(r -> r.imageIds(imageId)).images().get(0).publicLaunchPermissions());
        assertEquals(List.of(), volumeUsers(f, "us-east-1", snapshotOf(f, "us-east-1", imageId)));
        assertEquals(0, f.calls("ec2", "ModifySnapshotAttribute"));
    }

    @Test
    void retryAddsNothingNew() {
        Fixture f = new Fixture(SHARED_AND_COPIED);
        Map<String, Object> resources = f.copiesAvailable();
        ShareImageHandler handler = new ShareImageHandler(f.deps());
        handler.handleRequest(f.doc(resources), null);
        handler.handleRequest(f.doc(resources), null);
        assertEquals(List.of(ACCOUNT), launchUsers(f, "us-east-1", (String) resources.get(Resources.IMAGE_ID)));
    }

    @Test
    void nothingToShareMakesNoCall() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.smokeTested();
        long before = f.aws.calls().size();
        assertEquals(resources, new ShareImageHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(before, f.aws.calls().size());
    }

    @Test
    void accountAwsRefusesIsPublishFailed() {
        Fixture f = new Fixture("{\"publish\":{\"launchPermissionAccountIds\":[\"" + ACCOUNT + "\"]}}");
        Map<String, Object> resources = f.smokeTested();
        // past the validator (a config of an older version, say): AWS's own check is the last line
        Map<String, Object> doc = f.docWith(resources, "publish", "launchPermissionAccountIds", List.of("21098765432"));

        Expect.named(ErrorName.PublishFailed, "InvalidAMIAttributeItemValue",
                () -> new ShareImageHandler(f.deps()).handleRequest(doc, null));
    }

    @Test
    void copiesOfAnEncryptedImageAreNotSharedTheirKeyCannotBe() {
        Fixture f = new Fixture("{\"image\":{\"encrypted\":true,\"kmsKeyId\":\"alias/builder\"},"
                + "\"publish\":{\"launchPermissionAccountIds\":[\"" + ACCOUNT + "\"],\"copyToRegions\":[\"eu-west-1\"]}}");
        Map<String, Object> resources = f.copiesAvailable();

        new ShareImageHandler(f.deps()).handleRequest(f.doc(resources), null);

        assertEquals(List.of(ACCOUNT), launchUsers(f, "us-east-1", (String) resources.get(Resources.IMAGE_ID)));
        assertFalse(f.aws.calls().matching(c -> c.operation().equals("ModifyImageAttribute")).stream()
                .anyMatch(c -> c.resources().stream().anyMatch(t -> t.arn().contains("eu-west-1"))));
    }

    private static List<String> launchUsers(Fixture f, String region, String imageId) {
        return f.aws.ec2(region).describeImageAttribute(r -> r.imageId(imageId).attribute("launchPermission"))
                .launchPermissions().stream().map(LaunchPermission::userId).toList();
    }

    private static String snapshotOf(Fixture f, String region, String imageId) {
        return f.aws.ec2(region).describeImages(r -> r.imageIds(imageId)).images().get(0).blockDeviceMappings().get(0)
                .ebs().snapshotId();
    }

    private static List<String> volumeUsers(Fixture f, String region, String snapshotId) {
        return f.aws.ec2(region).describeSnapshotAttribute(r -> r.snapshotId(snapshotId)
                        .attribute("createVolumePermission")).createVolumePermissions().stream()
                .map(CreateVolumePermission::userId).toList();
    }
}
