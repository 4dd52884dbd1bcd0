package org.funtoo.amibuilder.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsResponse;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.SnapshotState;

/**
 * The state of simulated EC2 resources. Mutable, touched only by the {@code Ec2*} operation classes while they
 * hold the {@link SimEc2} lock. Time-driven states (snapshot, image, volume) are computed from the clock;
 * instances, whose transitions have side effects, are advanced by {@link Ec2Region#settle()}.
 */
final class Ec2Resources {
    private Ec2Resources() {
    }

    abstract static class Tagged {
        final String id;
        final Map<String, String> tags = new LinkedHashMap<>();

        Tagged(String id, Map<String, String> tags) {
            this.id = id;
            this.tags.putAll(tags);
        }
    }

    static final class Vpc extends Tagged {
        final Ec2Cidr cidr;
        final String cidrAssociationId;
        final String dhcpOptionsId;
        boolean dnsSupport = true;
        boolean dnsHostnames;
        String mainRouteTableId;
        String defaultGroupId;

        Vpc(String id, Map<String, String> tags, Ec2Cidr cidr, String cidrAssociationId, String dhcpOptionsId) {
            super(id, tags);
            this.cidr = cidr;
            this.cidrAssociationId = cidrAssociationId;
            this.dhcpOptionsId = dhcpOptionsId;
        }
    }

    static final class Subnet extends Tagged {
        final String vpcId;
        final Ec2Cidr cidr;
        final String availabilityZone;
        boolean mapPublicIpOnLaunch;
        /** AWS reserves the first four addresses of every subnet. */
        private long nextHost = 4;

        Subnet(String id, Map<String, String> tags, String vpcId, Ec2Cidr cidr, String availabilityZone) {
            super(id, tags);
            this.vpcId = vpcId;
            this.cidr = cidr;
            this.availabilityZone = availabilityZone;
        }

        String nextPrivateIp() {
            return cidr.address(nextHost++);
        }
    }

    static final class InternetGateway extends Tagged {
        String vpcId;

        InternetGateway(String id, Map<String, String> tags) {
            super(id, tags);
        }
    }

    /** {@code gatewayId} is {@code local} for the VPC's own range. */
    record Route(String destination, String gatewayId, String origin) {
    }

    static final class RouteTable extends Tagged {
        final String vpcId;
        /** Only the table CreateVpc made; its association is the VPC's main association. */
        final String mainAssociationId;
        final List<Route> routes = new ArrayList<>();
        /** association id → subnet id, explicit associations only. */
        final Map<String, String> subnetAssociations = new LinkedHashMap<>();

        RouteTable(String id, Map<String, String> tags, String vpcId, String mainAssociationId) {
            super(id, tags);
            this.vpcId = vpcId;
            this.mainAssociationId = mainAssociationId;
        }

        boolean isMain() {
            return mainAssociationId != null;
        }
    }

    /** One flattened security group rule: a CIDR or a referenced group, never both. */
    record Rule(String protocol, Integer fromPort, Integer toPort, String cidr, String groupId) {
    }

    static final class SecurityGroup extends Tagged {
        final String vpcId;
        final String name;
        final String description;
        final boolean isDefault;
        final Set<Rule> ingress = new LinkedHashSet<>();
        final Set<Rule> egress = new LinkedHashSet<>();

        SecurityGroup(String id, Map<String, String> tags, String vpcId, String name, String description,
                      boolean isDefault) {
            super(id, tags);
            this.vpcId = vpcId;
            this.name = name;
            this.description = description;
            this.isDefault = isDefault;
        }
    }

    /** A block device of an instance; the volume holds the DeleteOnTermination flag. */
    record Device(String deviceName, String volumeId) {
    }

    static final class Instance extends Tagged {
        final String reservationId;
        final int launchIndex;
        final String imageId;
        final String instanceType;
        final String architecture;
        final String subnetId;
        final String vpcId;
        final String availabilityZone;
        final List<String> groupIds;
        final String privateIp;
        String publicIp;
        final String networkInterfaceId;
        final Map<String, String> networkInterfaceTags;
        /** The one-time spot request a spot launch created with it (null: On-Demand). */
        final String spotRequestId;
        final Instant launchTime;
        final Instant runningAt;
        final String clientToken;
        final String rootDeviceName;
        final List<Device> devices = new ArrayList<>();
        final InstanceMetadataOptionsResponse metadataOptions;
        final String iamInstanceProfileArn;
        final String shutdownBehavior;
        final String bootMode;
        final boolean enaSupport;
        /** Whether the image it booted carries an SSM agent (SimSsm decides what the agent then does). */
        final boolean ssmAgent;
        InstanceStateName state = InstanceStateName.PENDING;
        /** When the current transitional state (shutting-down, stopping) ends. */
        Instant transitionEndsAt;
        Instant terminatedAt;
        String stateTransitionReason = "";
        boolean statusChecksFail;

        Instance(Launch l) {
            super(l.id, l.tags);
            this.reservationId = l.reservationId;
            this.launchIndex = l.launchIndex;
            this.imageId = l.imageId;
            this.instanceType = l.instanceType;
            this.architecture = l.architecture;
            this.subnetId = l.subnetId;
            this.vpcId = l.vpcId;
            this.availabilityZone = l.availabilityZone;
            this.groupIds = List.copyOf(l.groupIds);
            this.privateIp = l.privateIp;
            this.publicIp = l.publicIp;
            this.networkInterfaceId = l.networkInterfaceId;
            this.networkInterfaceTags = Map.copyOf(l.networkInterfaceTags);
            this.spotRequestId = l.spotRequestId;
            this.launchTime = l.launchTime;
            this.runningAt = l.runningAt;
            this.clientToken = l.clientToken;
            this.rootDeviceName = l.rootDeviceName;
            this.metadataOptions = l.metadataOptions;
            this.iamInstanceProfileArn = l.iamInstanceProfileArn;
            this.shutdownBehavior = l.shutdownBehavior;
            this.bootMode = l.bootMode;
            this.enaSupport = l.enaSupport;
            this.ssmAgent = l.ssmAgent;
        }

        /** Until terminated, the instance's network interface keeps its subnet and groups in use. */
        boolean holdsNetworkInterface() {
            return state != InstanceStateName.TERMINATED;
        }
    }

    /** Everything RunInstances decided for one instance, before it exists. */
    static final class Launch {
        String id;
        Map<String, String> tags = Map.of();
        String reservationId;
        int launchIndex;
        String imageId;
        String instanceType;
        String architecture;
        String subnetId;
        String vpcId;
        String availabilityZone;
        List<String> groupIds = List.of();
        String privateIp;
        String publicIp;
        String networkInterfaceId;
        Map<String, String> networkInterfaceTags = Map.of();
        String spotRequestId;
        Instant launchTime;
        Instant runningAt;
        String clientToken;
        String rootDeviceName;
        InstanceMetadataOptionsResponse metadataOptions;
        String iamInstanceProfileArn;
        String shutdownBehavior;
        String bootMode;
        boolean enaSupport;
        boolean ssmAgent;
    }

    record Attachment(String instanceId, String device, boolean deleteOnTermination, Instant attachTime) {
    }

    static final class Volume extends Tagged {
        final String availabilityZone;
        final int size;
        final String volumeType;
        final String snapshotId;
        final Instant createTime;
        final Instant availableAt;
        final boolean encrypted;
        final Integer iops;
        final Integer throughput;
        Attachment attachment;

        Volume(String id, Map<String, String> tags, String availabilityZone, int size, String volumeType,
               String snapshotId, Instant createTime, Instant availableAt, boolean encrypted, Integer iops,
               Integer throughput) {
            super(id, tags);
            this.availabilityZone = availabilityZone;
            this.size = size;
            this.volumeType = volumeType;
            this.snapshotId = snapshotId;
            this.createTime = createTime;
            this.availableAt = availableAt;
            this.encrypted = encrypted;
            this.iops = iops;
            this.throughput = throughput;
        }

        String state(Instant now) {
            if (attachment != null) {
                return "in-use";
            }
            return now.isBefore(availableAt) ? "creating" : "available";
        }
    }

    static final class Snapshot extends Tagged {
        final String volumeId;
        final int volumeSize;
        final String description;
        final Instant startTime;
        /** {@code null}: never completes. */
        final Instant completesAt;
        /** {@code null}: does not fail. */
        Instant failsAt;
        final boolean encrypted;
        /** Who may create volumes from it besides the owner: account ids, and {@code all} for public. */
        final Set<String> volumeUserIds = new LinkedHashSet<>();
        final Set<String> volumeGroups = new LinkedHashSet<>();

        Snapshot(String id, Map<String, String> tags, String volumeId, int volumeSize, String description,
                 Instant startTime, Duration takes, boolean fails, boolean encrypted) {
            super(id, tags);
            this.volumeId = volumeId;
            this.volumeSize = volumeSize;
            this.description = description;
            this.startTime = startTime;
            this.completesAt = takes == null ? null : startTime.plus(takes);
            // a failing snapshot gives up halfway, or after a minute when it would never have completed
            this.failsAt = !fails ? null : startTime.plus(takes == null ? Duration.ofMinutes(1) : takes.dividedBy(2));
            this.encrypted = encrypted;
        }

        SnapshotState state(Instant now) {
            if (failsAt != null && !now.isBefore(failsAt)) {
                return SnapshotState.ERROR;
            }
            if (completesAt != null && !now.isBefore(completesAt)) {
                return SnapshotState.COMPLETED;
            }
            return SnapshotState.PENDING;
        }

        Instant completionTime(Instant now) {
            return state(now) == SnapshotState.COMPLETED ? completesAt : null;
        }

        String progress(Instant now) {
            Instant at = failsAt != null && !now.isBefore(failsAt) ? failsAt : now;
            if (completesAt == null) {
                return "0%";
            }
            if (!at.isBefore(completesAt)) {
                return "100%";
            }
            long total = Duration.between(startTime, completesAt).toMillis();
            long done = Duration.between(startTime, at).toMillis();
            return Math.min(99, total == 0 ? 99 : done * 100 / total) + "%";
        }
    }

    static final class Image extends Tagged {
        final String name;
        String description;
        final String ownerId;
        /** {@code amazon} for the public images AWS owns, else null. */
        final String ownerAlias;
        final String architecture;
        final String virtualizationType;
        final String rootDeviceName;
        final List<BlockDeviceMapping> blockDevices;
        final Boolean enaSupport;
        final String sriovNetSupport;
        final String bootMode;
        final String imdsSupport;
        final Instant creationDate;
        final Instant availableAt;
        boolean fails;
        final String sourceImageId;
        final String sourceRegion;
        final Set<String> launchGroups = new LinkedHashSet<>();
        final Set<String> launchUserIds = new LinkedHashSet<>();
        Instant deprecationTime;
        boolean ssmAgent;

        Image(Builder b) {
            super(b.id, b.tags);
            this.name = b.name;
            this.description = b.description;
            this.ownerId = b.ownerId;
            this.ownerAlias = b.ownerAlias;
            this.architecture = b.architecture;
            this.virtualizationType = b.virtualizationType;
            this.rootDeviceName = b.rootDeviceName;
            this.blockDevices = List.copyOf(b.blockDevices);
            this.enaSupport = b.enaSupport;
            this.sriovNetSupport = b.sriovNetSupport;
            this.bootMode = b.bootMode;
            this.imdsSupport = b.imdsSupport;
            this.creationDate = b.creationDate;
            this.availableAt = b.availableAt;
            this.fails = b.fails;
            this.sourceImageId = b.sourceImageId;
            this.sourceRegion = b.sourceRegion;
            this.ssmAgent = b.ssmAgent;
        }

        ImageState state(Instant now) {
            if (now.isBefore(availableAt)) {
                return ImageState.PENDING;
            }
            return fails ? ImageState.FAILED : ImageState.AVAILABLE;
        }

        boolean isPublic() {
            return launchGroups.contains("all");
        }

        List<String> snapshotIds() {
            return blockDevices.stream().filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                    .map(m -> m.ebs().snapshotId()).toList();
        }

        BlockDeviceMapping rootMapping() {
            return blockDevices.stream().filter(m -> rootDeviceName.equals(m.deviceName())).findFirst()
                    .orElse(null);
        }

        static final class Builder {
            String id;
            Map<String, String> tags = Map.of();
            String name;
            String description;
            String ownerId;
            String ownerAlias;
            String architecture;
            String virtualizationType;
            String rootDeviceName;
            List<BlockDeviceMapping> blockDevices = List.of();
            Boolean enaSupport;
            String sriovNetSupport;
            String bootMode;
            String imdsSupport;
            Instant creationDate;
            Instant availableAt;
            boolean fails;
            String sourceImageId;
            String sourceRegion;
            boolean ssmAgent;
        }
    }
}
