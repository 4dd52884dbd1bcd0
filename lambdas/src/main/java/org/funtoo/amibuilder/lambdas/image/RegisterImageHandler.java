package org.funtoo.amibuilder.lambdas.image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImdsSupportValues;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * Registers the AMI from the snapshot: hvm, root {@code /dev/xvda} as gp3 of the configured size, ENA and SR-IOV
 * (Nitro networking), the configured boot mode, and IMDSv2 required for every instance launched from it.
 * RegisterImage has no client token; the image's name is unique per region, so a retry finds its first attempt's
 * image by name and build tag. The image carries the family tag ({@link Tags#FAMILY}) for retention.
 */
public final class RegisterImageHandler extends Handler {
    public static final String PURPOSE = "image";
    public static final String ROOT_DEVICE = "/dev/xvda";
    private final Ec2Client ec2;

    public RegisterImageHandler() {
        this(HandlerDependencies.lambda());
    }

    public RegisterImageHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.ImageFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        String imageId = existing(config).orElseGet(() -> register(config, resources.require(Resources.SNAPSHOT_ID)));
        return resources.with(Resources.IMAGE_ID, imageId).toMap();
    }

    private String register(BuildConfig config, String snapshotId) {
        // the image is tagged as the builder's and may then be shared and published: only from this build's
        // snapshot, never from one named by the input of a direct invocation
        BuildOwnership.requireSnapshot(ec2, snapshotId, config.buildId(), "resources.snapshotId");
        try {
            return ec2.registerImage(r -> r
                    .name(config.imageName())
                    .description(config.imageDescription())
                    .architecture(config.architecture())
                    .virtualizationType("hvm")
                    .rootDeviceName(ROOT_DEVICE)
                    .blockDeviceMappings(m -> m.deviceName(ROOT_DEVICE).ebs(e -> e
                            .snapshotId(snapshotId)
                            .volumeSize(config.volumeSizeGiB())
                            .volumeType(VolumeType.GP3)
                            .deleteOnTermination(true)))
                    .enaSupport(true)
                    .sriovNetSupport("simple")
                    .bootMode(config.bootMode())
                    .imdsSupport(ImdsSupportValues.V2_0)
                    .tagSpecifications(Tags.spec(ResourceType.IMAGE, config.buildId(), PURPOSE, imageTags(config))))
                    .imageId();
        } catch (AwsServiceException e) {
            if (AwsErrors.code(e).equals("InvalidAMIName.Duplicate")) {
                throw BuildFailure.of(ErrorName.ImageFailed, "image.name \"" + config.imageName()
                        + "\" was taken by another image while this build ran");
            }
            throw e;
        }
    }

    /**
     * The caller's tags plus the family tag, by which retention finds the older images of the same product (and
     * their snapshots, which carry these tags as well).
     */
    public static Map<String, String> imageTags(BuildConfig config) {
        Map<String, String> tags = new LinkedHashMap<>(config.imageTags());
        tags.put(Tags.FAMILY, config.imageFamily());
        return tags;
    }

    /** This build's image of this name; another build's image of the same name is RegisterImage's error. */
    private Optional<String> existing(BuildConfig config) {
        return ec2.describeImages(r -> r.owners("self").filters(Tags.filter("name", config.imageName()),
                        Tags.filter("tag:" + Tags.BUILD_ID, config.buildId())))
                .images().stream().map(Image::imageId).findFirst();
    }
}
