package org.funtoo.amibuilder.lambdas.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.lambdas.testing.Images;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.VolumeType;

class RegisterImageHandlerTest {
    private final Fixture f = new Fixture(
            "{\"image\":{\"name\":\"funtoo-next-{date}\",\"volumeSizeGiB\":12,\"tags\":{\"team\":\"os\"}}}");
    private final RegisterImageHandler handler = new RegisterImageHandler(f.deps());

    @Test
    void registersTheImageForNitroWithBootModeAndImdsV2() {
        Map<String, Object> before = f.snapshotCompleted();
        String imageId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.IMAGE_ID);
        Image image = f.aws.ec2().describeImages(r -> r.imageIds(imageId)).images().get(0);
        assertEquals("funtoo-next-2026-01-01", image.name());
        assertEquals("x86_64", image.architectureAsString());
        assertEquals("/dev/xvda", image.rootDeviceName());
        assertEquals("hvm", image.virtualizationTypeAsString());
        assertTrue(image.enaSupport());
        assertEquals("simple", image.sriovNetSupport());
        assertEquals("uefi-preferred", image.bootModeAsString());
        assertEquals("v2.0", image.imdsSupportAsString());
        EbsBlockDevice root = image.blockDeviceMappings().get(0).ebs();
        assertEquals(before.get(Resources.SNAPSHOT_ID), root.snapshotId());
        assertEquals(12, root.volumeSize());
        assertEquals(VolumeType.GP3, root.volumeType());
        Expect.builderTags(image.tags(), "image");
        assertEquals("os", Tags.value(image.tags(), "team").orElse(null));
        assertEquals("funtoo/x86_64/funtoo-next-{date}", Tags.value(image.tags(), Tags.FAMILY).orElse(null),
                "the family retention keeps images of: distribution, architecture, name template");
    }

    @Test
    void retryReturnsTheSameImage() {
        Map<String, Object> before = f.snapshotCompleted();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.IMAGE_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.IMAGE_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ec2", "RegisterImage"));
    }

    @Test
    void nameTakenMeanwhileIsImageFailed() {
        Map<String, Object> before = f.snapshotCompleted();
        Images.registerForeign(f.aws, "funtoo-next-2026-01-01");
        Expect.named(ErrorName.ImageFailed, "was taken by another image",
                () -> handler.handleRequest(f.doc(before), null));
    }
}
