package org.funtoo.amibuilder.lambdas.publish;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import org.funtoo.amibuilder.lambdas.image.RegisterImageHandler;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * Publish: copy the tested image into every region of {@code publish.copyToRegions}, under the same name, each copy
 * and its snapshot tagged like the original (family included) in the CopyImage request itself. Returns {@code resources.copies}
 * ({@code {region: imageId}}). A copy already made (in {@code resources}, or found by tag after a crash) is not made
 * again, and the per-region ClientToken makes a retried CopyImage return the first attempt's copy.
 * {@code DeleteFailedImageCopiesHandler} is its cleanup pair.
 */
public final class CopyImageHandler extends Handler {
    static final String SNAPSHOT_PURPOSE = "snapshot";
    /** Errors no retry can fix: the name is taken there, the region is not enabled for the account. */
    static final Set<String> HOPELESS = Set.of("InvalidAMIName.Duplicate", "OptInRequired", "InvalidRegion",
            "AuthFailure", "UnauthorizedOperation");
    private final Function<String, Ec2Client> ec2;

    public CopyImageHandler() {
        this(HandlerDependencies.lambda());
    }

    public CopyImageHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2ByRegion();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PublishFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        String imageId = resources.require(Resources.IMAGE_ID);
        Map<String, String> copies = new LinkedHashMap<>(resources.strings(Resources.COPIES));
        if (!copies.keySet().containsAll(config.copyToRegions())) {
            // a copy is tagged as the builder's and may then be shared or published: copy only this build's image
            BuildOwnership.requireImage(ec2.apply(config.region()), config.region(), imageId, config.buildId(),
                    "resources.imageId");
        }
        for (String region : config.copyToRegions()) {
            if (!copies.containsKey(region)) {
                copies.put(region, existing(config, region).orElseGet(() -> copy(config, imageId, region)));
            }
        }
        return resources.with(Resources.COPIES, copies).toMap();
    }

    private String copy(BuildConfig config, String imageId, String region) {
        String buildId = config.buildId();
        try {
            return ec2.apply(region).copyImage(r -> r
                            .sourceRegion(config.region())
                            .sourceImageId(imageId)
                            .name(config.imageName())
                            .description(config.imageDescription())
                            .clientToken(LaunchHelperInstanceHandler.clientToken(buildId, "copy/" + region))
                            .tagSpecifications(
                                    Tags.spec(ResourceType.IMAGE, buildId, RegisterImageHandler.PURPOSE,
                                            RegisterImageHandler.imageTags(config)),
                                    Tags.spec(ResourceType.SNAPSHOT, buildId, SNAPSHOT_PURPOSE,
                                            RegisterImageHandler.imageTags(config))))
                    .imageId();
        } catch (AwsServiceException e) {
            if (HOPELESS.contains(AwsErrors.code(e))) {
                throw BuildFailure.of(ErrorName.PublishFailed, "cannot copy " + imageId + " to " + region + ": "
                        + AwsErrors.code(e) + ": " + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
    }

    /** This build's copy in {@code region}, found by name and build tag. */
    private Optional<String> existing(BuildConfig config, String region) {
        return ec2.apply(region).describeImages(r -> r.owners("self").filters(
                        Tags.filter("name", config.imageName()), Tags.filter("tag:" + Tags.BUILD_ID, config.buildId())))
                .images().stream().map(Image::imageId).findFirst();
    }
}
