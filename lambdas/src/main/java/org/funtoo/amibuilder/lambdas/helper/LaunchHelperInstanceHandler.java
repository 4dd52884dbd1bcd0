package org.funtoo.amibuilder.lambdas.helper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.network.Network;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * Launches the helper: the resolved AMI in the chosen zone's subnet, with the empty target disk as a second EBS
 * volume. IMDSv2 only (hop limit 1, so nothing in a container on it can reach the credentials), the stack's
 * instance profile for SSM, and "terminate" on shutdown so a helper that powers itself off leaves nothing behind.
 * The ClientToken is derived from the build id: a retried RunInstances returns the first attempt's instance.
 */
public final class LaunchHelperInstanceHandler extends Handler {
    static final String PURPOSE = "helper";
    static final String VOLUMES_PURPOSE = "helper-volume";
    static final String INTERFACE_PURPOSE = "helper-interface";
    static final String SPOT_REQUEST_PURPOSE = "helper-spot-request";
    /** Where the target disk is requested; the bootstrap finds it by volume id, never by this name. */
    public static final String TARGET_DEVICE = "/dev/sdf";
    /**
     * Refusals worth a message of their own; quota and capacity errors heal by waiting (core/AwsFailures), any
     * other AWS error is HelperFailed as well.
     */
    static final Set<String> HOPELESS = Set.of("InvalidParameterCombination", "Unsupported");
    private final Ec2Client ec2;
    private final String instanceProfileArn;
    private final List<String> helperImageOwners;

    public LaunchHelperInstanceHandler() {
        this(HandlerDependencies.lambda());
    }

    /**
     * {@code HELPER_IMAGE_OWNERS}: whose images a helper may boot, comma-separated: {@code amazon} and account ids
     * (the stack's {@code helperImageOwners}; its launch policy allows the same owners).
     */
    public LaunchHelperInstanceHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
        this.instanceProfileArn = deps.require(Env.HELPER_INSTANCE_PROFILE_ARN);
        this.helperImageOwners = owners(deps.require(Env.HELPER_IMAGE_OWNERS));
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.HelperFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        String buildId = config.buildId();
        String instanceId = existing(buildId).orElseGet(() -> launch(doc));
        return doc.resources().with(Resources.INSTANCE_ID, instanceId).toMap();
    }

    private String launch(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        requireAllowedOwner(ec2, resources.require(Resources.HELPER_IMAGE_ID), helperImageOwners);
        Network network = Network.of(doc);
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .clientToken(clientToken(config.buildId()))
                .imageId(resources.require(Resources.HELPER_IMAGE_ID))
                .instanceType(resources.require(Resources.HELPER_INSTANCE_TYPE))
                .minCount(1).maxCount(1)
                .subnetId(network.subnetId())
                .securityGroupIds(network.securityGroupId())
                .iamInstanceProfile(p -> p.arn(instanceProfileArn))
                .instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED).httpPutResponseHopLimit(1)
                        .httpEndpoint(InstanceMetadataEndpointState.ENABLED))
                .blockDeviceMappings(targetVolume(config));
        // IAM authorizes every resource RunInstances creates with that resource's own TagSpecification, and the
        // stack's policy wants the builder's tags on each: so the interface (and the spot request) are tagged too
        List<TagSpecification> tags = new ArrayList<>(List.of(
                Tags.spec(ResourceType.INSTANCE, config.buildId(), PURPOSE),
                Tags.spec(ResourceType.VOLUME, config.buildId(), VOLUMES_PURPOSE),
                Tags.spec(ResourceType.NETWORK_INTERFACE, config.buildId(), INTERFACE_PURPOSE)));
        if (config.spot()) {
            request.instanceMarketOptions(InstanceMarketOptionsRequest.builder().marketType(MarketType.SPOT)
                    .spotOptions(s -> s.spotInstanceType(SpotInstanceType.ONE_TIME)
                            .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE))
                    .build());
            tags.add(Tags.spec(ResourceType.SPOT_INSTANCES_REQUEST, config.buildId(), SPOT_REQUEST_PURPOSE));
        }
        request.tagSpecifications(tags);
        try {
            return ec2.runInstances(request.build()).instances().get(0).instanceId();
        } catch (AwsServiceException e) {
            if (HOPELESS.contains(AwsErrors.code(e))) {
                throw BuildFailure.of(ErrorName.HelperFailed, "cannot launch the helper ("
                        + resources.require(Resources.HELPER_INSTANCE_TYPE) + "): " + AwsErrors.code(e) + ": "
                        + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
    }

    private static BlockDeviceMapping targetVolume(BuildConfig config) {
        EbsBlockDevice.Builder ebs = EbsBlockDevice.builder()
                .volumeSize(config.volumeSizeGiB())
                .volumeType(VolumeType.GP3)
                .deleteOnTermination(true);
        if (config.encrypted()) {
            ebs.encrypted(true);
            config.kmsKeyId().ifPresent(ebs::kmsKeyId);
        }
        return BlockDeviceMapping.builder().deviceName(TARGET_DEVICE).ebs(ebs.build()).build();
    }

    /**
     * The helper runs the bootstrap as root with the helper role: its image must come from an owner the stack
     * trusts. ResolveHelperImage checks the same before anything is created; this check guards a direct
     * invocation with an input of the caller's making (the launch policy's ec2:Owner condition refuses others too,
     * this says so clearly, before anything is launched).
     */
    public static Image requireAllowedOwner(Ec2Client ec2, String imageId, List<String> owners) {
        Image image;
        try {
            image = ec2.describeImages(r -> r.imageIds(imageId)).images().stream().findFirst().orElse(null);
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith("InvalidAMIID")) {
                image = null;
            } else {
                throw e;
            }
        }
        if (image == null) {
            throw BuildFailure.of(ErrorName.InvalidInput, "helper.imageId: " + imageId
                    + " does not exist or is not visible to this account");
        }
        requireAllowedOwner(image, owners, "helper.imageId: " + imageId);
        return image;
    }

    /**
     * {@code InvalidInput} naming the image and its owner unless one of {@code owners} owns it. {@code amazon}
     * matches AWS's own images by their owner alias, as ec2:Owner does.
     */
    public static void requireAllowedOwner(Image image, List<String> owners, String what) {
        boolean allowed = owners.contains(image.ownerId())
                || owners.contains("amazon") && "amazon".equals(image.imageOwnerAlias());
        if (!allowed) {
            throw BuildFailure.of(ErrorName.InvalidInput, what + " is owned by "
                    + image.ownerId() + (image.imageOwnerAlias() == null ? "" : " (" + image.imageOwnerAlias() + ")")
                    + ", not by an owner this stack allows for helpers (" + String.join(", ", owners)
                    + "; the stack's context value helperImageOwners): use an image of one of them");
        }
    }

    /** The stack's HELPER_IMAGE_OWNERS setting, comma-separated, as a list. */
    public static List<String> owners(String helperImageOwners) {
        return Arrays.stream(helperImageOwners.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
    }

    /** Live (not terminated) helper of this build, found by its tags. */
    private Optional<String> existing(String buildId) {
        return ec2.describeInstances(r -> r.filters(Tags.ofPurpose(buildId, PURPOSE,
                        Tags.filter("instance-state-name", "pending", "running", "stopping", "stopped"))))
                .reservations().stream().flatMap(r -> r.instances().stream())
                .map(Instance::instanceId).findFirst();
    }

    public static String clientToken(String buildId) {
        return clientToken(buildId, PURPOSE);
    }

    /** At most 64 ASCII characters, and the same for every attempt of this build's call for {@code purpose}. */
    public static String clientToken(String buildId, String purpose) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((buildId + "/" + purpose).getBytes(StandardCharsets.UTF_8));
            return "fab-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
