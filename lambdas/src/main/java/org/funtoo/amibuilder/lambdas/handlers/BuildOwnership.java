package org.funtoo.amibuilder.lambdas.handlers;

import java.util.List;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Tags;
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
final class BuildOwnership {
    private BuildOwnership() {
    }

    /** The image, if this build made it (registered it, or copied it into {@code region}). */
    static Image requireImage(Ec2Client ec2, String region, String imageId, String buildId, String field) {
        Optional<Image> image;
        try {
            image = ec2.describeImages(r -> r.imageIds(imageId)).images().stream().findFirst();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith("InvalidAMIID")) {
                throw refused(field, imageId + " in " + region + " does not exist or is not visible to this account");
            }
            throw e;
        }
        Image found = image.orElseThrow(() -> refused(field, imageId + " in " + region
                + " does not exist or is not visible to this account"));
        requireTags(found.tags(), field, imageId + " in " + region + " (owner " + found.ownerId() + ")", buildId);
        return found;
    }

    /** The instance, if this build launched it. */
    static Instance requireInstance(Ec2Client ec2, String instanceId, String buildId, String field) {
        List<Instance> found;
        try {
            found = ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream()).toList();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith("InvalidInstanceID")) {
                throw refused(field, instanceId + " does not exist");
            }
            throw e;
        }
        if (found.isEmpty()) {
            throw refused(field, instanceId + " does not exist");
        }
        requireTags(found.get(0).tags(), field, instanceId, buildId);
        return found.get(0);
    }

    /** The volume, if this build created it (the helper's volumes are tagged by their RunInstances). */
    static Volume requireVolume(Ec2Client ec2, String volumeId, String buildId, String field) {
        List<Volume> found;
        try {
            found = ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith("InvalidVolume")) {
                throw refused(field, volumeId + " does not exist");
            }
            throw e;
        }
        if (found.isEmpty()) {
            throw refused(field, volumeId + " does not exist");
        }
        requireTags(found.get(0).tags(), field, volumeId, buildId);
        return found.get(0);
    }

    /** The snapshot, if this build made it. */
    static Snapshot requireSnapshot(Ec2Client ec2, String snapshotId, String buildId, String field) {
        List<Snapshot> found;
        try {
            found = ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)).snapshots();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith("InvalidSnapshot")) {
                throw refused(field, snapshotId + " does not exist or is not visible to this account");
            }
            throw e;
        }
        if (found.isEmpty()) {
            throw refused(field, snapshotId + " does not exist or is not visible to this account");
        }
        requireTags(found.get(0).tags(), field, snapshotId + " (owner " + found.get(0).ownerId() + ")", buildId);
        return found.get(0);
    }

    /** The VPC, if this build created it (a subnet, gateway, route table or group is about to go into it). */
    static Vpc requireVpc(Ec2Client ec2, String vpcId, String buildId, String field) {
        return require(() -> ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs(), Vpc::tags, "InvalidVpcID", vpcId,
                buildId, field);
    }

    /** The subnet, if this build created it. */
    static Subnet requireSubnet(Ec2Client ec2, String subnetId, String buildId, String field) {
        return require(() -> ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets(), Subnet::tags,
                "InvalidSubnetID", subnetId, buildId, field);
    }

    /** The internet gateway, if this build created it. */
    static InternetGateway requireInternetGateway(Ec2Client ec2, String gatewayId, String buildId, String field) {
        return require(() -> ec2.describeInternetGateways(r -> r.internetGatewayIds(gatewayId)).internetGateways(),
                InternetGateway::tags, "InvalidInternetGatewayID", gatewayId, buildId, field);
    }

    private static <T> T require(java.util.function.Supplier<List<T>> describe,
                                 java.util.function.Function<T, List<Tag>> tags, String notFoundPrefix, String id,
                                 String buildId, String field) {
        List<T> found;
        try {
            found = describe.get();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith(notFoundPrefix)) {
                throw refused(field, id + " does not exist");
            }
            throw e;
        }
        if (found.isEmpty()) {
            throw refused(field, id + " does not exist");
        }
        requireTags(tags.apply(found.get(0)), field, id, buildId);
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
