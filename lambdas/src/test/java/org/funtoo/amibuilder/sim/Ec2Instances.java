package org.funtoo.amibuilder.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.funtoo.amibuilder.sim.Ec2Catalogue.TypeSpec;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.Attachment;
import org.funtoo.amibuilder.sim.Ec2Resources.Device;
import org.funtoo.amibuilder.sim.Ec2Resources.Image;
import org.funtoo.amibuilder.sim.Ec2Resources.Instance;
import org.funtoo.amibuilder.sim.Ec2Resources.Launch;
import org.funtoo.amibuilder.sim.Ec2Resources.SecurityGroup;
import org.funtoo.amibuilder.sim.Ec2Resources.Subnet;
import org.funtoo.amibuilder.sim.Ec2Resources.Volume;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.EbsInstanceBlockDevice;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputResponse;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfile;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsResponse;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceState;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusDetails;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;
import software.amazon.awssdk.services.ec2.model.Monitoring;
import software.amazon.awssdk.services.ec2.model.Placement;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.StateReason;
import software.amazon.awssdk.services.ec2.model.StopInstancesRequest;
import software.amazon.awssdk.services.ec2.model.StopInstancesResponse;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;

/**
 * Instances: RunInstances with AWS's launch checks (image, network, type offering, architecture, virtualization,
 * ENA, block devices, client token), their life over simulated time (pending → running; shutting-down →
 * terminated, visible for an hour; stopping → stopped), status checks and the serial console.
 */
final class Ec2Instances {
    private static final Pattern PROFILE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:instance-profile/.+");
    private static final DateTimeFormatter REASON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);
    private static final Set<String> VOLUME_TYPES = Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");

    /** What a client token was first used with, to answer its retries the way AWS does. */
    private record TokenUse(RunInstancesRequest request, String reservationId, List<String> instanceIds) {
    }

    /** A block device RunInstances is about to create. */
    private record PlannedVolume(String device, String snapshotId, int size, String type, boolean deleteOnTermination,
                                 Integer iops, Integer throughput, boolean encrypted) {
    }

    private final Ec2Region r;
    private final Ec2RouteTables routeTables;
    private final Map<String, TokenUse> tokens = new HashMap<>();
    private int publicAddresses;

    Ec2Instances(Ec2Region region, Ec2RouteTables routeTables) {
        this.r = region;
        this.routeTables = routeTables;
    }

    // ---- RunInstances

    RunInstancesResponse runInstances(CallLog.Call call, RunInstancesRequest q) {
        // RunInstances can tag what it creates: instances, volumes, network interfaces and spot requests
        // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html, TagSpecification.N)
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(),
                Set.of("instance", "volume", "network-interface", "spot-instances-request"), r.errors(call));
        if (q.clientToken() != null) {
            if (q.clientToken().length() > 64) {
                throw r.fail(call, "InvalidParameterValue", "ClientToken must be at most 64 ASCII characters");
            }
            TokenUse earlier = tokens.get(q.clientToken());
            if (earlier != null) {
                return retried(call, q, earlier);
            }
        }
        if (q.minCount() == null || q.maxCount() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameters MinCount and MaxCount");
        }
        if (q.minCount() < 1 || q.minCount() > q.maxCount()) {
            throw r.fail(call, "InvalidParameterValue", "MinCount must be at least 1 and at most MaxCount");
        }
        if (q.imageId() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter ImageId");
        }
        Image image = r.require(call, r.images, Kind.IMAGE, q.imageId());
        r.touch(call, Kind.IMAGE, image);
        if (image.state(r.now()) != software.amazon.awssdk.services.ec2.model.ImageState.AVAILABLE) {
            throw r.fail(call, "InvalidAMIID.Unavailable", "Image " + image.id + " is not available ("
                    + image.state(r.now()).toString() + ")");
        }
        InstanceNetworkInterfaceSpecification nic = primaryInterface(call, q);
        String subnetId = nic != null ? nic.subnetId() : q.subnetId();
        if (subnetId == null) {
            throw r.fail(call, "VPCIdNotSpecified", "No default VPC for this user. Specify a subnet.");
        }
        if (!q.securityGroups().isEmpty()) {
            throw r.fail(call, "InvalidParameterCombination",
                    "The parameter groupName cannot be used with the parameter subnet");
        }
        Subnet subnet = r.require(call, r.subnets, Kind.SUBNET, subnetId);
        r.touch(call, Kind.SUBNET, subnet);
        List<SecurityGroup> groups = groups(call, subnet, nic != null ? nic.groups() : q.securityGroupIds());
        groups.forEach(g -> r.touch(call, Kind.SECURITY_GROUP, g));
        if (q.placement() != null && q.placement().availabilityZone() != null
                && !q.placement().availabilityZone().equals(subnet.availabilityZone)) {
            throw r.fail(call, "InvalidParameterValue", "The availability zone " + q.placement().availabilityZone()
                    + " does not match the zone of subnet " + subnet.id);
        }
        TypeSpec type = checkType(call, q.instanceTypeAsString() == null ? "m1.small" : q.instanceTypeAsString(),
                subnet.availabilityZone, image);
        requireVcpus(call, type, q.maxCount(), spot(q));
        List<PlannedVolume> planned = blockDevices(call, image, q);
        InstanceMetadataOptionsResponse metadata = metadataOptions(image, q.metadataOptions());
        String profileArn = profileArn(call, q.iamInstanceProfile());
        String shutdownBehavior = q.instanceInitiatedShutdownBehaviorAsString() == null ? "stop"
                : q.instanceInitiatedShutdownBehaviorAsString();
        boolean publicIp = nic != null && nic.associatePublicIpAddress() != null ? nic.associatePublicIpAddress()
                : subnet.mapPublicIpOnLaunch;

        String reservationId = r.ids.next("r");
        List<Instance> launched = new ArrayList<>();
        for (int index = 0; index < q.maxCount(); index++) {
            Launch l = new Launch();
            l.id = r.ids.next("i");
            l.tags = tags.getOrDefault("instance", Map.of());
            l.reservationId = reservationId;
            l.launchIndex = index;
            l.imageId = image.id;
            l.instanceType = type.name();
            l.architecture = type.architecture();
            l.subnetId = subnet.id;
            l.vpcId = subnet.vpcId;
            l.availabilityZone = subnet.availabilityZone;
            l.groupIds = groups.stream().map(g -> g.id).toList();
            l.privateIp = subnet.nextPrivateIp();
            l.publicIp = publicIp ? nextPublicIp() : null;
            l.networkInterfaceId = r.ids.next("eni");
            l.networkInterfaceTags = tags.getOrDefault("network-interface", Map.of());
            l.spotRequestId = spot(q) ? r.ids.next("sir") : null;
            l.launchTime = r.now();
            l.runningAt = r.now().plus(r.timings().instancePending);
            l.clientToken = q.clientToken();
            l.rootDeviceName = image.rootDeviceName;
            l.metadataOptions = metadata;
            l.iamInstanceProfileArn = profileArn;
            l.shutdownBehavior = shutdownBehavior;
            l.bootMode = image.bootMode != null ? image.bootMode : type.bootModes().get(0);
            l.enaSupport = true;
            l.ssmAgent = image.ssmAgent;
            Instance instance = new Instance(l);
            for (PlannedVolume p : planned) {
                Volume v = new Volume(r.ids.next("vol"), tags.getOrDefault("volume", Map.of()),
                        subnet.availabilityZone, p.size(), p.type(), p.snapshotId(), r.now(), r.now(), p.encrypted(),
                        p.iops(), p.throughput());
                v.attachment = new Attachment(instance.id, p.device(), p.deleteOnTermination(), r.now());
                r.volumes.put(v.id, v);
                instance.devices.add(new Device(p.device(), v.id));
                r.touch(call, Kind.VOLUME, v);
            }
            r.instances.put(instance.id, instance);
            launched.add(instance);
            r.touch(call, Kind.INSTANCE, instance);
            call.touched(r.arn("network-interface", instance.networkInterfaceId), instance.networkInterfaceTags);
            if (instance.spotRequestId != null) {
                call.touched(r.arn("spot-instances-request", instance.spotRequestId),
                        tags.getOrDefault("spot-instances-request", Map.of()));
            }
        }
        Ec2Tags.record(call, tags);
        if (q.clientToken() != null) {
            tokens.put(q.clientToken(), new TokenUse(q, reservationId, launched.stream().map(i -> i.id).toList()));
        }
        return response(reservationId, launched);
    }

    /**
     * The running-instances quota of the type's family class, in vCPUs; every modelled type is of the Standard
     * class (A, C, D, H, I, M, R, T, Z). Spot and On-Demand count apart.
     */
    private void requireVcpus(CallLog.Call call, TypeSpec type, int count, boolean spot) {
        int inUse = r.instances.values().stream()
                .filter(i -> i.state == InstanceStateName.PENDING || i.state == InstanceStateName.RUNNING
                        || i.state == InstanceStateName.STOPPING || i.state == InstanceStateName.SHUTTING_DOWN)
                .filter(i -> (i.spotRequestId != null) == spot)
                .mapToInt(i -> r.catalogue.type(i.instanceType).map(TypeSpec::vcpus).orElse(0)).sum();
        r.requireQuota(call, spot ? SimQuotas.Quota.STANDARD_SPOT_VCPUS : SimQuotas.Quota.STANDARD_ON_DEMAND_VCPUS,
                inUse, type.vcpus() * count, "You have requested more vCPU capacity than your current vCPU limit"
                        + " allows for the instance bucket that " + type.name() + " belongs to");
    }

    /** A launch with {@code InstanceMarketOptions} of market type spot creates a one-time spot request too. */
    private static boolean spot(RunInstancesRequest q) {
        return q.instanceMarketOptions() != null && "spot".equals(q.instanceMarketOptions().marketTypeAsString());
    }

    private RunInstancesResponse response(String reservationId, List<Instance> instances) {
        return RunInstancesResponse.builder().reservationId(reservationId).ownerId(r.accountId()).groups(List.of())
                .instances(instances.stream().map(this::describe).toList()).build();
    }

    /** Same token and same request: the same reservation; anything else is an error, as on AWS. */
    private RunInstancesResponse retried(CallLog.Call call, RunInstancesRequest q, TokenUse earlier) {
        if (!earlier.request().equalsBySdkFields(q)) {
            throw r.fail(call, "IdempotentParameterMismatch", "The client token " + q.clientToken()
                    + " was already used with different parameters");
        }
        List<Instance> instances = earlier.instanceIds().stream().map(r.instances::get).filter(Objects::nonNull)
                .toList();
        instances.forEach(i -> r.touch(call, Kind.INSTANCE, i));
        boolean gone = instances.size() < earlier.instanceIds().size() || instances.stream()
                .anyMatch(i -> i.state == InstanceStateName.SHUTTING_DOWN || i.state == InstanceStateName.TERMINATED);
        if (gone) {
            throw r.fail(call, "IdempotentInstanceTerminated", "The instance launched with client token "
                    + q.clientToken() + " has been terminated");
        }
        return response(earlier.reservationId(), instances);
    }

    private InstanceNetworkInterfaceSpecification primaryInterface(CallLog.Call call, RunInstancesRequest q) {
        if (q.networkInterfaces().isEmpty()) {
            return null;
        }
        if (q.subnetId() != null || !q.securityGroupIds().isEmpty()) {
            throw r.fail(call, "InvalidParameterCombination",
                    "Network interfaces and an instance-level subnet ID or security groups may not be specified"
                            + " on the same request");
        }
        return q.networkInterfaces().stream().filter(n -> n.deviceIndex() == null || n.deviceIndex() == 0)
                .findFirst().orElseThrow(() -> r.fail(call, "InvalidParameterValue",
                        "A network interface with device index 0 is required"));
    }

    private List<SecurityGroup> groups(CallLog.Call call, Subnet subnet, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of(r.groups.get(r.vpcs.get(subnet.vpcId).defaultGroupId));
        }
        List<SecurityGroup> groups = r.requireAll(call, r.groups, Kind.SECURITY_GROUP, ids);
        for (SecurityGroup g : groups) {
            if (!g.vpcId.equals(subnet.vpcId)) {
                throw r.fail(call, "InvalidParameter", "Security group " + g.id + " and subnet " + subnet.id
                        + " belong to different networks.");
            }
        }
        return groups;
    }

    private TypeSpec checkType(CallLog.Call call, String typeName, String zone, Image image) {
        TypeSpec type = r.catalogue.type(typeName).orElseThrow(() -> r.fail(call, "InvalidParameterValue",
                "Invalid value '" + typeName + "' for InstanceType."));
        if (!r.catalogue.offered(type.name(), zone)) {
            List<String> elsewhere = r.catalogue.zones().stream().filter(z -> r.catalogue.offered(type.name(), z))
                    .toList();
            throw r.fail(call, "Unsupported", "Your requested instance type (" + type.name() + ") is not supported"
                    + " in your requested Availability Zone (" + zone + "). Please retry your request by not"
                    + " specifying an Availability Zone or choosing " + String.join(", ", elsewhere) + ".");
        }
        if (!type.architecture().equals(image.architecture)) {
            throw r.fail(call, "InvalidParameterValue", "The architecture '" + type.architecture()
                    + "' of the specified instance type does not match the architecture '" + image.architecture
                    + "' of the specified AMI. Specify an instance type and an AMI that have matching architectures,"
                    + " and try again.");
        }
        if (!"hvm".equals(image.virtualizationType)) {
            throw r.fail(call, "InvalidParameterCombination", "Virtualization type 'hvm' is required for instances"
                    + " of type '" + type.name() + "'. Ensure that you are using an AMI with virtualization type 'hvm'.");
        }
        if (type.nitro() && !Boolean.TRUE.equals(image.enaSupport)) {
            throw r.fail(call, "InvalidParameterCombination", "Enhanced networking with the Elastic Network Adapter"
                    + " (ENA) is required for the '" + type.name() + "' instance type. Ensure that you are using an"
                    + " AMI that is enabled for ENA.");
        }
        if (image.bootMode != null && !image.bootMode.equals("uefi-preferred")
                && !type.bootModes().contains(image.bootMode)) {
            throw r.fail(call, "UnsupportedOperation", "The instance type " + type.name()
                    + " does not support boot mode " + image.bootMode + ".");
        }
        return type;
    }

    /** The image's block devices, overridden, suppressed or extended by the request's mappings. */
    private List<PlannedVolume> blockDevices(CallLog.Call call, Image image, RunInstancesRequest q) {
        Map<String, PlannedVolume> planned = new LinkedHashMap<>();
        for (var m : image.blockDevices) {
            if (m.ebs() != null) {
                var ebs = m.ebs();
                planned.put(m.deviceName(), new PlannedVolume(m.deviceName(), ebs.snapshotId(), ebs.volumeSize(),
                        ebs.volumeTypeAsString() == null ? "gp2" : ebs.volumeTypeAsString(),
                        !Boolean.FALSE.equals(ebs.deleteOnTermination()), ebs.iops(), ebs.throughput(),
                        Boolean.TRUE.equals(ebs.encrypted())));
            }
        }
        for (var m : q.blockDeviceMappings()) {
            if (m.deviceName() == null) {
                throw r.fail(call, "InvalidBlockDeviceMapping", "A block device mapping needs a device name");
            }
            if (m.noDevice() != null) {
                planned.remove(m.deviceName());
                continue;
            }
            if (m.ebs() == null) {
                continue;
            }
            var ebs = m.ebs();
            PlannedVolume base = planned.get(m.deviceName());
            String snapshotId = base != null ? base.snapshotId() : ebs.snapshotId();
            Integer size = ebs.volumeSize() != null ? ebs.volumeSize() : base != null ? Integer.valueOf(base.size())
                    : snapshotSize(call, ebs.snapshotId());
            if (size == null) {
                throw r.fail(call, "MissingParameter", "The request must contain the parameter size or snapshotId"
                        + " for " + m.deviceName());
            }
            if (base != null && size < base.size()) {
                throw r.fail(call, "InvalidBlockDeviceMapping", "Volume of size " + size + "GB is smaller than"
                        + " snapshot '" + base.snapshotId() + "', expect size >= " + base.size() + "GB");
            }
            String type = ebs.volumeTypeAsString() != null ? ebs.volumeTypeAsString()
                    : base != null ? base.type() : "gp2";
            if (!VOLUME_TYPES.contains(type) || size < 1 || size > 16384) {
                throw r.fail(call, "InvalidParameterValue", "Invalid volume type or size for " + m.deviceName());
            }
            boolean deleteOnTermination = ebs.deleteOnTermination() != null ? ebs.deleteOnTermination()
                    : base == null || base.deleteOnTermination();
            planned.put(m.deviceName(), new PlannedVolume(m.deviceName(), snapshotId, size, type, deleteOnTermination,
                    ebs.iops(), ebs.throughput(), Boolean.TRUE.equals(ebs.encrypted())
                    || base != null && base.encrypted()));
        }
        if (!planned.containsKey(image.rootDeviceName)) {
            throw r.fail(call, "InvalidBlockDeviceMapping", "The root device " + image.rootDeviceName
                    + " cannot be suppressed");
        }
        return List.copyOf(planned.values());
    }

    private Integer snapshotSize(CallLog.Call call, String snapshotId) {
        if (snapshotId == null) {
            return null;
        }
        return r.require(call, r.snapshots, Kind.SNAPSHOT, snapshotId).volumeSize;
    }

    /** AWS's defaults follow the image: an IMDSv2-only image launches with tokens required and hop limit 2. */
    private static InstanceMetadataOptionsResponse metadataOptions(Image image, InstanceMetadataOptionsRequest q) {
        boolean v2Image = "v2.0".equals(image.imdsSupport);
        InstanceMetadataOptionsRequest given = q != null ? q : InstanceMetadataOptionsRequest.builder().build();
        return InstanceMetadataOptionsResponse.builder()
                .httpTokens(given.httpTokensAsString() != null ? given.httpTokensAsString()
                        : v2Image ? "required" : "optional")
                .httpPutResponseHopLimit(given.httpPutResponseHopLimit() != null ? given.httpPutResponseHopLimit()
                        : v2Image ? 2 : 1)
                .httpEndpoint(given.httpEndpointAsString() != null ? given.httpEndpointAsString() : "enabled")
                .httpProtocolIpv6(given.httpProtocolIpv6AsString() != null ? given.httpProtocolIpv6AsString()
                        : "disabled")
                .instanceMetadataTags(given.instanceMetadataTagsAsString() != null
                        ? given.instanceMetadataTagsAsString() : "disabled")
                .build();
    }

    private String profileArn(CallLog.Call call, IamInstanceProfileSpecification spec) {
        if (spec == null || spec.arn() == null && spec.name() == null) {
            return null;
        }
        if (spec.arn() != null && spec.name() != null) {
            throw r.fail(call, "InvalidParameterCombination",
                    "The parameter 'iamInstanceProfile.name' may not be used in combination with 'iamInstanceProfile.arn'");
        }
        if (spec.name() != null) {
            return "arn:aws:iam::" + r.accountId() + ":instance-profile/" + spec.name();
        }
        if (!PROFILE_ARN.matcher(spec.arn()).matches()) {
            throw r.fail(call, "InvalidParameterValue", "Value (" + spec.arn()
                    + ") for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN");
        }
        return spec.arn();
    }

    private String nextPublicIp() {
        int n = ++publicAddresses;
        return "3.90." + (n / 250) % 256 + "." + (n % 250 + 1);
    }

    // ---- describing

    software.amazon.awssdk.services.ec2.model.Instance describe(Instance i) {
        boolean live = i.holdsNetworkInterface();
        List<GroupIdentifier> groups = live ? i.groupIds.stream().map(id -> GroupIdentifier.builder().groupId(id)
                .groupName(r.groups.containsKey(id) ? r.groups.get(id).name : null).build()).toList() : List.of();
        var b = software.amazon.awssdk.services.ec2.model.Instance.builder()
                .instanceId(i.id).imageId(i.imageId).instanceType(i.instanceType).architecture(i.architecture)
                .state(state(i.state)).stateTransitionReason(i.stateTransitionReason).launchTime(i.launchTime)
                .placement(Placement.builder().availabilityZone(i.availabilityZone).tenancy("default").build())
                .subnetId(i.subnetId).vpcId(i.vpcId).privateIpAddress(live ? i.privateIp : null)
                .publicIpAddress(i.publicIp).privateDnsName(live ? privateDnsName(i) : "")
                .publicDnsName(publicDnsName(i)).securityGroups(groups)
                .networkInterfaces(live ? List.of(networkInterface(i, groups)) : List.of())
                .blockDeviceMappings(i.devices.stream().map(d -> blockDevice(i, d)).toList())
                .rootDeviceName(i.rootDeviceName).rootDeviceType("ebs").virtualizationType("hvm").hypervisor("xen")
                .enaSupport(i.enaSupport).ebsOptimized(true).sourceDestCheck(true).bootMode(i.bootMode)
                .currentInstanceBootMode(i.bootMode.equals("uefi-preferred") ? "uefi" : i.bootMode)
                .metadataOptions(i.metadataOptions.toBuilder()
                        .state(i.state == InstanceStateName.PENDING ? "pending" : "applied").build())
                .clientToken(i.clientToken == null ? "" : i.clientToken).amiLaunchIndex(i.launchIndex)
                .monitoring(Monitoring.builder().state("disabled").build()).platformDetails("Linux/UNIX")
                .usageOperation("RunInstances").productCodes(List.of()).tags(Ec2Tags.sdk(i.tags));
        if (i.spotRequestId != null) {
            b.instanceLifecycle("spot").spotInstanceRequestId(i.spotRequestId);
        }
        if (i.iamInstanceProfileArn != null) {
            b.iamInstanceProfile(IamInstanceProfile.builder().arn(i.iamInstanceProfileArn)
                    .id("AIPA" + i.id.substring(2).toUpperCase(Locale.ROOT)).build());
        }
        if (i.state == InstanceStateName.SHUTTING_DOWN || i.state == InstanceStateName.TERMINATED
                || i.state == InstanceStateName.STOPPING || i.state == InstanceStateName.STOPPED) {
            b.stateReason(stateReason(i));
        }
        return b.build();
    }

    private static StateReason stateReason(Instance i) {
        return i.stateTransitionReason.startsWith("User initiated")
                ? StateReason.builder().code("Client.UserInitiatedShutdown")
                .message("Client.UserInitiatedShutdown: User initiated shutdown").build()
                : StateReason.builder().code("Client.InstanceInitiatedShutdown")
                .message("Client.InstanceInitiatedShutdown: Instance initiated shutdown").build();
    }

    static InstanceState state(InstanceStateName name) {
        int code = switch (name) {
            case PENDING -> 0;
            case RUNNING -> 16;
            case SHUTTING_DOWN -> 32;
            case TERMINATED -> 48;
            case STOPPING -> 64;
            case STOPPED -> 80;
            default -> throw new IllegalArgumentException(name.toString());
        };
        return InstanceState.builder().code(code).name(name).build();
    }

    private String privateDnsName(Instance i) {
        String domain = r.name.equals("us-east-1") ? "ec2.internal" : r.name + ".compute.internal";
        return "ip-" + i.privateIp.replace('.', '-') + "." + domain;
    }

    private String publicDnsName(Instance i) {
        if (i.publicIp == null || !r.vpcs.containsKey(i.vpcId) || !r.vpcs.get(i.vpcId).dnsHostnames) {
            return "";
        }
        String domain = r.name.equals("us-east-1") ? "compute-1.amazonaws.com" : r.name + ".compute.amazonaws.com";
        return "ec2-" + i.publicIp.replace('.', '-') + "." + domain;
    }

    private InstanceNetworkInterface networkInterface(Instance i, List<GroupIdentifier> groups) {
        var b = InstanceNetworkInterface.builder().networkInterfaceId(i.networkInterfaceId).subnetId(i.subnetId)
                .vpcId(i.vpcId).privateIpAddress(i.privateIp).privateDnsName(privateDnsName(i)).status("in-use")
                .groups(groups).ownerId(r.accountId()).interfaceType("interface").sourceDestCheck(true)
                .macAddress("02:00:00:" + i.networkInterfaceId.substring(i.networkInterfaceId.length() - 6)
                        .replaceAll("(..)(?!$)", "$1:"))
                .attachment(InstanceNetworkInterfaceAttachment.builder().deviceIndex(0).status("attached")
                        .attachTime(i.launchTime).deleteOnTermination(true).build());
        if (i.publicIp != null) {
            b.association(InstanceNetworkInterfaceAssociation.builder().publicIp(i.publicIp)
                    .publicDnsName(publicDnsName(i)).ipOwnerId("amazon").build());
        }
        return b.build();
    }

    private InstanceBlockDeviceMapping blockDevice(Instance i, Device d) {
        Volume v = r.volumes.get(d.volumeId());
        boolean deleteOnTermination = v != null && v.attachment != null && v.attachment.deleteOnTermination();
        return InstanceBlockDeviceMapping.builder().deviceName(d.deviceName())
                .ebs(EbsInstanceBlockDevice.builder().volumeId(d.volumeId()).deleteOnTermination(deleteOnTermination)
                        .status(i.state == InstanceStateName.PENDING ? "attaching" : "attached")
                        .attachTime(v != null && v.attachment != null ? v.attachment.attachTime() : i.launchTime)
                        .build())
                .build();
    }

    DescribeInstancesResponse describeInstances(CallLog.Call call, DescribeInstancesRequest q) {
        if (!q.instanceIds().isEmpty() && q.maxResults() != null) {
            throw r.fail(call, "InvalidParameterCombination",
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        Predicate<Instance> filter = Ec2Filters.<Instance>tagged(i -> i.tags)
                .on("instance-id", i -> i.id)
                .on("instance-state-name", i -> i.state.toString())
                .on("instance-state-code", i -> state(i.state).code())
                .on("instance-type", i -> i.instanceType)
                .on("image-id", i -> i.imageId)
                .on("vpc-id", i -> i.vpcId)
                .on("subnet-id", i -> i.subnetId)
                .on("availability-zone", i -> i.availabilityZone)
                .on("reservation-id", i -> i.reservationId)
                .on("client-token", i -> i.clientToken)
                .on("architecture", i -> i.architecture)
                .on("private-ip-address", i -> i.holdsNetworkInterface() ? i.privateIp : null)
                .on("ip-address", i -> i.publicIp)
                .on("iam-instance-profile.arn", i -> i.iamInstanceProfileArn)
                .on("instance.group-id", i -> i.holdsNetworkInterface() ? i.groupIds : null)
                .on("network-interface.network-interface-id",
                        i -> i.holdsNetworkInterface() ? i.networkInterfaceId : null)
                .on("block-device-mapping.volume-id", i -> i.devices.stream().map(Device::volumeId).toList())
                .on("root-device-type", i -> "ebs")
                .on("launch-index", i -> i.launchIndex)
                .matcher(q.filters(), r.invalidParameter(call));
        List<Instance> found = r.select(call, r.instances, Kind.INSTANCE, q.instanceIds(), filter);
        Ec2Page<Instance> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        Map<String, List<Instance>> byReservation = new LinkedHashMap<>();
        page.items().forEach(i -> byReservation.computeIfAbsent(i.reservationId, k -> new ArrayList<>()).add(i));
        List<Reservation> reservations = byReservation.entrySet().stream().map(e -> Reservation.builder()
                .reservationId(e.getKey()).ownerId(r.accountId()).groups(List.of())
                .instances(e.getValue().stream().map(this::describe).toList()).build()).toList();
        return DescribeInstancesResponse.builder().reservations(reservations).nextToken(page.nextToken()).build();
    }

    // ---- state changes

    TerminateInstancesResponse terminateInstances(CallLog.Call call, TerminateInstancesRequest q) {
        if (q.instanceIds().isEmpty()) {
            throw r.fail(call, "InvalidParameterCombination", "No instances specified");
        }
        List<Instance> instances = r.requireAll(call, r.instances, Kind.INSTANCE, q.instanceIds());
        instances.forEach(i -> r.touch(call, Kind.INSTANCE, i));
        List<InstanceStateChange> changes = new ArrayList<>();
        for (Instance i : instances) {
            InstanceStateName before = i.state;
            if (before != InstanceStateName.SHUTTING_DOWN && before != InstanceStateName.TERMINATED) {
                shutDown(i, "User initiated (" + REASON_TIME.format(r.now()) + ")");
            }
            changes.add(InstanceStateChange.builder().instanceId(i.id).previousState(state(before))
                    .currentState(state(i.state)).build());
        }
        return TerminateInstancesResponse.builder().terminatingInstances(changes).build();
    }

    private void shutDown(Instance i, String reason) {
        i.state = InstanceStateName.SHUTTING_DOWN;
        i.transitionEndsAt = r.now().plus(r.timings().instanceShuttingDown);
        i.stateTransitionReason = reason;
    }

    StopInstancesResponse stopInstances(CallLog.Call call, StopInstancesRequest q) {
        if (q.instanceIds().isEmpty()) {
            throw r.fail(call, "InvalidParameterCombination", "No instances specified");
        }
        List<Instance> instances = r.requireAll(call, r.instances, Kind.INSTANCE, q.instanceIds());
        instances.forEach(i -> r.touch(call, Kind.INSTANCE, i));
        for (Instance i : instances) {
            if (i.state != InstanceStateName.RUNNING && i.state != InstanceStateName.STOPPING
                    && i.state != InstanceStateName.STOPPED) {
                throw r.fail(call, "IncorrectInstanceState", "This instance '" + i.id
                        + "' is not in a state from which it can be stopped.");
            }
        }
        List<InstanceStateChange> changes = new ArrayList<>();
        for (Instance i : instances) {
            InstanceStateName before = i.state;
            if (before == InstanceStateName.RUNNING) {
                stop(i, "User initiated (" + REASON_TIME.format(r.now()) + ")");
            }
            changes.add(InstanceStateChange.builder().instanceId(i.id).previousState(state(before))
                    .currentState(state(i.state)).build());
        }
        return StopInstancesResponse.builder().stoppingInstances(changes).build();
    }

    private void stop(Instance i, String reason) {
        i.state = InstanceStateName.STOPPING;
        i.transitionEndsAt = r.now().plus(r.timings().instanceStopping);
        i.stateTransitionReason = reason;
    }

    /** The OS powers the machine off: what happens next is the instance's InstanceInitiatedShutdownBehavior. */
    void powerOffFromInside(String instanceId) {
        Instance i = r.instances.get(instanceId);
        if (i == null || i.state != InstanceStateName.RUNNING) {
            throw new IllegalStateException("only a running instance can power itself off: " + instanceId);
        }
        String reason = "Client.InstanceInitiatedShutdown: Instance initiated shutdown";
        if (i.shutdownBehavior.equals("terminate")) {
            shutDown(i, reason);
        } else {
            stop(i, reason);
        }
    }

    // ---- status checks and console

    DescribeInstanceStatusResponse describeInstanceStatus(CallLog.Call call, DescribeInstanceStatusRequest q) {
        if (!q.instanceIds().isEmpty() && q.maxResults() != null) {
            throw r.fail(call, "InvalidParameterCombination",
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        boolean all = Boolean.TRUE.equals(q.includeAllInstances());
        Predicate<InstanceStatus> filter = Ec2Filters.<InstanceStatus>untagged()
                .on("availability-zone", InstanceStatus::availabilityZone)
                .on("instance-state-name", s -> s.instanceState().nameAsString())
                .on("instance-state-code", s -> s.instanceState().code())
                .on("instance-status.status", s -> s.instanceStatus().statusAsString())
                .on("instance-status.reachability", s -> s.instanceStatus().details().stream()
                        .map(InstanceStatusDetails::statusAsString).toList())
                .on("system-status.status", s -> s.systemStatus().statusAsString())
                .on("system-status.reachability", s -> s.systemStatus().details().stream()
                        .map(InstanceStatusDetails::statusAsString).toList())
                .matcher(q.filters(), r.invalidParameter(call));
        List<InstanceStatus> statuses = r.select(call, r.instances, Kind.INSTANCE, q.instanceIds(), i -> true)
                .stream().filter(i -> all || i.state == InstanceStateName.RUNNING).map(this::status)
                .filter(filter).toList();
        Ec2Page<InstanceStatus> page = Ec2Page.of(statuses, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeInstanceStatusResponse.builder().instanceStatuses(page.items()).nextToken(page.nextToken())
                .build();
    }

    private InstanceStatus status(Instance i) {
        InstanceStatusSummary instanceStatus;
        InstanceStatusSummary systemStatus;
        if (i.state != InstanceStateName.RUNNING) {
            instanceStatus = summary("not-applicable", null, null);
            systemStatus = summary("not-applicable", null, null);
        } else {
            Instant checked = i.runningAt.plus(r.timings().statusChecksOk);
            if (r.now().isBefore(checked)) {
                instanceStatus = summary("initializing", "initializing", null);
                systemStatus = summary("initializing", "initializing", null);
            } else {
                boolean passes = !i.statusChecksFail && bootBehaviour(i.imageId).passesStatusChecks();
                instanceStatus = passes ? summary("ok", "passed", null) : summary("impaired", "failed", checked);
                systemStatus = summary("ok", "passed", null);
            }
        }
        return InstanceStatus.builder().instanceId(i.id).availabilityZone(i.availabilityZone)
                .availabilityZoneId(r.availabilityZoneId(i.availabilityZone)).instanceState(state(i.state))
                .instanceStatus(instanceStatus).systemStatus(systemStatus).events(List.of()).build();
    }

    private static InstanceStatusSummary summary(String status, String reachability, Instant impairedSince) {
        List<InstanceStatusDetails> details = reachability == null ? List.of()
                : List.of(InstanceStatusDetails.builder().name("reachability").status(reachability)
                .impairedSince(impairedSince).build());
        return InstanceStatusSummary.builder().status(status).details(details).build();
    }

    BootBehaviour bootBehaviour(String imageId) {
        return r.bootByImage.getOrDefault(imageId, r.defaultBoot);
    }

    GetConsoleOutputResponse getConsoleOutput(CallLog.Call call, GetConsoleOutputRequest q) {
        if (q.instanceId() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter InstanceId");
        }
        Instance i = r.require(call, r.instances, Kind.INSTANCE, q.instanceId());
        r.touch(call, Kind.INSTANCE, i);
        // "Latest: ... Only supported on instances built on the Nitro System" (GetConsoleOutput,
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetConsoleOutput.html and the user guide's
        // "Instance console output"); AWS names no code of its own for it, EC2's generic one is used
        if (Boolean.TRUE.equals(q.latest()) && r.catalogue.type(i.instanceType).map(t -> !t.nitro()).orElse(false)) {
            throw r.fail(call, "UnsupportedOperation", "The latest console output is only available on instances"
                    + " built on the Nitro System; " + i.instanceType + " is not.");
        }
        // nothing has been written to the serial console before the instance first ran, and AWS posts it late
        if (r.now().isBefore(i.runningAt.plus(r.timings().consoleOutput)) || i.state == InstanceStateName.PENDING) {
            return GetConsoleOutputResponse.builder().instanceId(i.id).timestamp(r.now()).build();
        }
        String text = bootBehaviour(i.imageId).consoleOutput().replace(BootBehaviour.INSTANCE_ID, i.id);
        return GetConsoleOutputResponse.builder().instanceId(i.id).timestamp(i.runningAt)
                .output(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))).build();
    }

    /** Whether the instance could reach public AWS endpoints (SSM) over its subnet's internet route. */
    boolean hasInternetAccess(Instance i) {
        Subnet subnet = r.subnets.get(i.subnetId);
        return i.publicIp != null && subnet != null && routeTables.reachesInternet(subnet);
    }
}
