package org.funtoo.amibuilder.lambdas.core;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * A function invoked outside the state machine gets whatever input its caller wrote. Before a handler acts on a
 * resource named in {@code resources} (snapshots a volume, registers an image from a snapshot, copies, shares,
 * deprecates, publishes or boots an image; runs or reads a command on an instance), it checks here that the resource is this build's: it carries
 * {@code funtoo-ami-builder:build-id = <config.buildId>} and the managed marker. Anything else is refused with
 * {@code InvalidInput} naming the resource, before the handler's changing call. Only reads (Describe*) happen first.
 */
public final class BuildOwnership {
    private BuildOwnership() {
    }

    /** The image, if this build made it (registered it, or copied it into {@code region}). */
    public static Image requireImage(Ec2Client ec2, String region, String imageId, String buildId, String field) {
        String where = imageId + " in " + region;
        return require(() -> ec2.describeImages(r -> r.imageIds(imageId)).images(), Image::tags, "InvalidAMIID",
                where + " does not exist or is not visible to this account",
                image -> where + " (owner " + image.ownerId() + ")", buildId, field);
    }

    /** The instance, if this build launched it. */
    public static Instance requireInstance(Ec2Client ec2, String instanceId, String buildId, String field) {
        return require(() -> ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                        .flatMap(r -> r.instances().stream()).toList(), Instance::tags, "InvalidInstanceID",
                instanceId + " does not exist", instance -> instanceId, buildId, field);
    }

    /** The volume, if this build created it (the helper's volumes are tagged by their RunInstances). */
    public static Volume requireVolume(Ec2Client ec2, String volumeId, String buildId, String field) {
        return require(() -> ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes(), Volume::tags,
                "InvalidVolume", volumeId + " does not exist", volume -> volumeId, buildId, field);
    }

    /** The snapshot, if this build made it. */
    public static Snapshot requireSnapshot(Ec2Client ec2, String snapshotId, String buildId, String field) {
        return require(() -> ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)).snapshots(), Snapshot::tags,
                "InvalidSnapshot", snapshotId + " does not exist or is not visible to this account",
                snapshot -> snapshotId + " (owner " + snapshot.ownerId() + ")", buildId, field);
    }

    /** The VPC, if this build created it (a subnet, gateway, route table or group is about to go into it). */
    public static Vpc requireVpc(Ec2Client ec2, String vpcId, String buildId, String field) {
        return require(() -> ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs(), Vpc::tags, "InvalidVpcID",
                vpcId + " does not exist", vpc -> vpcId, buildId, field);
    }

    /** The subnet, if this build created it. */
    public static Subnet requireSubnet(Ec2Client ec2, String subnetId, String buildId, String field) {
        return require(() -> ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets(), Subnet::tags,
                "InvalidSubnetID", subnetId + " does not exist", subnet -> subnetId, buildId, field);
    }

    /** The internet gateway, if this build created it. */
    public static InternetGateway requireInternetGateway(Ec2Client ec2, String gatewayId, String buildId, String field) {
        return require(() -> ec2.describeInternetGateways(r -> r.internetGatewayIds(gatewayId)).internetGateways(),
                InternetGateway::tags, "InvalidInternetGatewayID", gatewayId + " does not exist",
                gateway -> gatewayId, buildId, field);
    }

    /**
     * The one resource {@code describe} finds, if it carries this build's tags; a resource that does not exist (an
     * empty answer, or an error whose code is not-found or starts with {@code notFoundPrefix}) is refused with
     * {@code missing}, one of another build with {@code label} naming it.
     */
    private static <T> T require(Supplier<List<T>> describe, Function<T, List<Tag>> tags, String notFoundPrefix,
                                 String missing, Function<T, String> label, String buildId, String field) {
        List<T> found;
        try {
            found = describe.get();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith(notFoundPrefix)) {
                throw refused(field, missing);
            }
            throw e;
        }
        if (found.isEmpty()) {
            throw refused(field, missing);
        }
        requireTags(tags.apply(found.get(0)), field, label.apply(found.get(0)), buildId);
        return found.get(0);
    }

    private static void requireTags(List<Tag> tags, String field, String what, String buildId) {
        Optional<String> owner = Tags.value(tags, Tags.BUILD_ID);
        if (!Tags.managed(tags) || owner.isEmpty() || !owner.get().equals(buildId)) {
            throw refused(field, what + " is not a resource of build " + buildId + " ("
                    + owner.map(b -> "it belongs to build " + b).orElse("it carries no " + Tags.BUILD_ID + " tag")
                    + "): refusing to act on it");
        }
    }

    private static BuildFailure refused(String field, String why) {
        return BuildFailure.of(ErrorName.InvalidInput, field + ": " + why);
    }
}
