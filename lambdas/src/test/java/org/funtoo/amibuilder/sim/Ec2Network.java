package org.funtoo.amibuilder.sim;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.InternetGateway;
import org.funtoo.amibuilder.sim.Ec2Resources.Route;
import org.funtoo.amibuilder.sim.Ec2Resources.RouteTable;
import org.funtoo.amibuilder.sim.Ec2Resources.Rule;
import org.funtoo.amibuilder.sim.Ec2Resources.SecurityGroup;
import org.funtoo.amibuilder.sim.Ec2Resources.Subnet;
import org.funtoo.amibuilder.sim.Ec2Resources.Vpc;
import software.amazon.awssdk.services.ec2.model.AttachInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.AttachInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.CreateInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.CreateInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.CreateSubnetRequest;
import software.amazon.awssdk.services.ec2.model.CreateSubnetResponse;
import software.amazon.awssdk.services.ec2.model.CreateVpcRequest;
import software.amazon.awssdk.services.ec2.model.CreateVpcResponse;
import software.amazon.awssdk.services.ec2.model.DeleteInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.DeleteInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSubnetRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSubnetResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVpcRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVpcResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInternetGatewaysRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInternetGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsResponse;
import software.amazon.awssdk.services.ec2.model.DetachInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.DetachInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.ModifySubnetAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifySubnetAttributeResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpcAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcAttributeResponse;
import software.amazon.awssdk.services.ec2.model.VpcCidrBlockAssociation;
import software.amazon.awssdk.services.ec2.model.VpcCidrBlockState;

/**
 * VPCs, subnets and internet gateways. A new VPC comes with its main route table and its default security group,
 * which go with it; everything else in it must be removed first (DependencyViolation otherwise), as on AWS.
 */
final class Ec2Network {
    private final Ec2Region r;

    Ec2Network(Ec2Region region) {
        this.r = region;
    }

    // ---- VPCs

    CreateVpcResponse createVpc(CallLog.Call call, CreateVpcRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("vpc"), r.errors(call));
        Ec2Cidr cidr = cidr(call, q.cidrBlock());
        if (cidr.prefix() < 16 || cidr.prefix() > 28) {
            throw r.fail(call, "InvalidVpcRange", "The CIDR '" + q.cidrBlock() + "' is invalid.");
        }
        r.requireQuota(call, SimQuotas.Quota.VPCS, r.vpcs.size(), 1, "The maximum number of VPCs has been reached");
        Vpc vpc = new Vpc(r.ids.next("vpc"), tags.getOrDefault("vpc", Map.of()), cidr,
                r.ids.next("vpc-cidr-assoc"), r.ids.next("dopt"));
        RouteTable main = new RouteTable(r.ids.next("rtb"), Map.of(), vpc.id, r.ids.next("rtbassoc"));
        main.routes.add(new Route(cidr.toString(), "local", "CreateRouteTable"));
        SecurityGroup defaultGroup = new SecurityGroup(r.ids.next("sg"), Map.of(), vpc.id, "default",
                "default VPC security group", true);
        defaultGroup.ingress.add(new Rule("-1", null, null, null, defaultGroup.id));
        defaultGroup.egress.add(new Rule("-1", null, null, "0.0.0.0/0", null));
        vpc.mainRouteTableId = main.id;
        vpc.defaultGroupId = defaultGroup.id;
        r.vpcs.put(vpc.id, vpc);
        r.routeTables.put(main.id, main);
        r.groups.put(defaultGroup.id, defaultGroup);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.VPC, vpc);
        // AWS answers CreateVpc with a pending VPC; it is available by the next call
        return CreateVpcResponse.builder().vpc(describe(vpc, "pending")).build();
    }

    private software.amazon.awssdk.services.ec2.model.Vpc describe(Vpc vpc, String state) {
        return software.amazon.awssdk.services.ec2.model.Vpc.builder()
                .vpcId(vpc.id).cidrBlock(vpc.cidr.toString()).state(state).dhcpOptionsId(vpc.dhcpOptionsId)
                .instanceTenancy("default").isDefault(false).ownerId(r.accountId())
                .cidrBlockAssociationSet(VpcCidrBlockAssociation.builder().associationId(vpc.cidrAssociationId)
                        .cidrBlock(vpc.cidr.toString())
                        .cidrBlockState(VpcCidrBlockState.builder().state("associated").build()).build())
                .tags(Ec2Tags.sdk(vpc.tags)).build();
    }

    DescribeVpcsResponse describeVpcs(CallLog.Call call, DescribeVpcsRequest q) {
        Predicate<Vpc> filter = Ec2Filters.<Vpc>tagged(v -> v.tags)
                .on("vpc-id", v -> v.id)
                .on("state", v -> "available")
                .on("cidr", v -> v.cidr.toString())
                .on("cidr-block-association.cidr-block", v -> v.cidr.toString())
                .on("cidr-block-association.association-id", v -> v.cidrAssociationId)
                .on("cidr-block-association.state", v -> "associated")
                .on("dhcp-options-id", v -> v.dhcpOptionsId)
                .on("is-default", v -> false)
                .on("owner-id", v -> r.accountId())
                .matcher(q.filters(), r.invalidParameter(call));
        List<Vpc> found = r.select(call, r.vpcs, Kind.VPC, q.vpcIds(), filter);
        Ec2Page<Vpc> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeVpcsResponse.builder().vpcs(page.items().stream().map(v -> describe(v, "available")).toList())
                .nextToken(page.nextToken()).build();
    }

    ModifyVpcAttributeResponse modifyVpcAttribute(CallLog.Call call, ModifyVpcAttributeRequest q) {
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.VPC, vpc);
        List<AttributeBooleanValue> given = Stream.of(q.enableDnsHostnames(),
                q.enableDnsSupport(), q.enableNetworkAddressUsageMetrics()).filter(Objects::nonNull).toList();
        // AWS modifies one VPC attribute per request
        if (given.size() != 1 || given.get(0).value() == null) {
            throw r.fail(call, "InvalidParameterCombination",
                    "Exactly one attribute, with a value, must be given per ModifyVpcAttribute request");
        }
        if (q.enableDnsHostnames() != null) {
            vpc.dnsHostnames = q.enableDnsHostnames().value();
        }
        if (q.enableDnsSupport() != null) {
            vpc.dnsSupport = q.enableDnsSupport().value();
        }
        return ModifyVpcAttributeResponse.builder().build();
    }

    DescribeVpcAttributeResponse describeVpcAttribute(CallLog.Call call, DescribeVpcAttributeRequest q) {
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.VPC, vpc);
        DescribeVpcAttributeResponse.Builder out = DescribeVpcAttributeResponse.builder().vpcId(vpc.id);
        String attribute = q.attributeAsString();
        if ("enableDnsHostnames".equals(attribute)) {
            return out.enableDnsHostnames(bool(vpc.dnsHostnames)).build();
        }
        if ("enableDnsSupport".equals(attribute)) {
            return out.enableDnsSupport(bool(vpc.dnsSupport)).build();
        }
        if ("enableNetworkAddressUsageMetrics".equals(attribute)) {
            return out.enableNetworkAddressUsageMetrics(bool(false)).build();
        }
        throw r.fail(call, "InvalidParameterValue", "Value (" + attribute + ") for parameter attribute is invalid.");
    }

    private static AttributeBooleanValue bool(boolean value) {
        return AttributeBooleanValue.builder().value(value).build();
    }

    DeleteVpcResponse deleteVpc(CallLog.Call call, DeleteVpcRequest q) {
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.VPC, vpc);
        boolean dependencies = r.subnets.values().stream().anyMatch(s -> s.vpcId.equals(vpc.id))
                || r.internetGateways.values().stream().anyMatch(g -> vpc.id.equals(g.vpcId))
                || r.routeTables.values().stream().anyMatch(t -> t.vpcId.equals(vpc.id) && !t.isMain())
                || r.groups.values().stream().anyMatch(g -> g.vpcId.equals(vpc.id) && !g.isDefault);
        if (dependencies) {
            throw r.fail(call, "DependencyViolation",
                    "The vpc '" + vpc.id + "' has dependencies and cannot be deleted.");
        }
        r.routeTables.remove(vpc.mainRouteTableId);
        r.groups.remove(vpc.defaultGroupId);
        r.vpcs.remove(vpc.id);
        return DeleteVpcResponse.builder().build();
    }

    // ---- subnets

    CreateSubnetResponse createSubnet(CallLog.Call call, CreateSubnetRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("subnet"),
                r.errors(call));
        if (q.vpcId() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter vpcId");
        }
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.VPC, vpc);
        Ec2Cidr cidr = cidr(call, q.cidrBlock());
        if (cidr.prefix() < 16 || cidr.prefix() > 28 || !vpc.cidr.contains(cidr)) {
            throw r.fail(call, "InvalidSubnet.Range", "The CIDR '" + q.cidrBlock() + "' is invalid.");
        }
        if (r.subnets.values().stream().anyMatch(s -> s.vpcId.equals(vpc.id) && s.cidr.overlaps(cidr))) {
            throw r.fail(call, "InvalidSubnet.Conflict",
                    "The CIDR '" + q.cidrBlock() + "' conflicts with another subnet");
        }
        String zone = zone(call, q.availabilityZone(), q.availabilityZoneId());
        Subnet subnet = new Subnet(r.ids.next("subnet"), tags.getOrDefault("subnet", Map.of()), vpc.id, cidr, zone);
        r.subnets.put(subnet.id, subnet);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.SUBNET, subnet);
        return CreateSubnetResponse.builder().subnet(describe(subnet)).build();
    }

    private String zone(CallLog.Call call, String zoneName, String zoneId) {
        List<String> zones = r.catalogue.zones();
        if (zoneName == null && zoneId == null) {
            return zones.get(0);
        }
        String zone = zoneName != null ? zoneName
                : zones.stream().filter(z -> r.catalogue.zoneId(z).equals(zoneId)).findFirst().orElse(null);
        if (zone == null || !r.catalogue.isZone(zone)) {
            throw r.fail(call, "InvalidParameterValue", "Value (" + (zoneName != null ? zoneName : zoneId)
                    + ") for parameter availabilityZone is invalid. Subnets can currently only be created in the"
                    + " following availability zones: " + String.join(", ", zones) + ".");
        }
        return zone;
    }

    private software.amazon.awssdk.services.ec2.model.Subnet describe(Subnet s) {
        long used = r.instancesHoldingInterfaces().stream().filter(i -> i.subnetId.equals(s.id)).count();
        return software.amazon.awssdk.services.ec2.model.Subnet.builder()
                .subnetId(s.id).vpcId(s.vpcId).cidrBlock(s.cidr.toString()).state("available")
                .availabilityZone(s.availabilityZone).availabilityZoneId(r.availabilityZoneId(s.availabilityZone))
                .availableIpAddressCount((int) (s.cidr.size() - 5 - used)).defaultForAz(false)
                .mapPublicIpOnLaunch(s.mapPublicIpOnLaunch).mapCustomerOwnedIpOnLaunch(false)
                .assignIpv6AddressOnCreation(false).ipv6Native(false).enableDns64(false)
                .ownerId(r.accountId()).subnetArn(r.arn("subnet", s.id)).tags(Ec2Tags.sdk(s.tags)).build();
    }

    ModifySubnetAttributeResponse modifySubnetAttribute(CallLog.Call call, ModifySubnetAttributeRequest q) {
        Subnet subnet = r.require(call, r.subnets, Kind.SUBNET, q.subnetId());
        r.touch(call, Kind.SUBNET, subnet);
        if (q.mapPublicIpOnLaunch() == null || q.mapPublicIpOnLaunch().value() == null) {
            throw r.fail(call, "InvalidParameterCombination",
                    "The simulated ModifySubnetAttribute supports MapPublicIpOnLaunch only");
        }
        subnet.mapPublicIpOnLaunch = q.mapPublicIpOnLaunch().value();
        return ModifySubnetAttributeResponse.builder().build();
    }

    DescribeSubnetsResponse describeSubnets(CallLog.Call call, DescribeSubnetsRequest q) {
        Predicate<Subnet> filter = Ec2Filters.<Subnet>tagged(s -> s.tags)
                .on("subnet-id", s -> s.id)
                .on("vpc-id", s -> s.vpcId)
                .on("availability-zone", s -> s.availabilityZone)
                .on("availability-zone-id", s -> r.availabilityZoneId(s.availabilityZone))
                .on("state", s -> "available")
                .on("cidr-block", s -> s.cidr.toString())
                .on("cidrBlock", s -> s.cidr.toString())
                .on("cidr", s -> s.cidr.toString())
                .on("default-for-az", s -> false)
                .on("map-public-ip-on-launch", s -> s.mapPublicIpOnLaunch)
                .on("owner-id", s -> r.accountId())
                .on("subnet-arn", s -> r.arn("subnet", s.id))
                .matcher(q.filters(), r.invalidParameter(call));
        List<Subnet> found = r.select(call, r.subnets, Kind.SUBNET, q.subnetIds(), filter);
        Ec2Page<Subnet> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeSubnetsResponse.builder().subnets(page.items().stream().map(this::describe).toList())
                .nextToken(page.nextToken()).build();
    }

    DeleteSubnetResponse deleteSubnet(CallLog.Call call, DeleteSubnetRequest q) {
        Subnet subnet = r.require(call, r.subnets, Kind.SUBNET, q.subnetId());
        r.touch(call, Kind.SUBNET, subnet);
        // a shutting-down instance still has its network interface in the subnet
        if (r.instancesHoldingInterfaces().stream().anyMatch(i -> i.subnetId.equals(subnet.id))) {
            throw r.fail(call, "DependencyViolation",
                    "The subnet '" + subnet.id + "' has dependencies and cannot be deleted.");
        }
        r.routeTables.values().forEach(t -> t.subnetAssociations.values().remove(subnet.id));
        r.subnets.remove(subnet.id);
        return DeleteSubnetResponse.builder().build();
    }

    // ---- internet gateways

    CreateInternetGatewayResponse createInternetGateway(CallLog.Call call, CreateInternetGatewayRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("internet-gateway"),
                r.errors(call));
        r.requireQuota(call, SimQuotas.Quota.INTERNET_GATEWAYS, r.internetGateways.size(), 1,
                "The maximum number of internet gateways has been reached");
        InternetGateway igw = new InternetGateway(r.ids.next("igw"), tags.getOrDefault("internet-gateway", Map.of()));
        r.internetGateways.put(igw.id, igw);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.INTERNET_GATEWAY, igw);
        return CreateInternetGatewayResponse.builder().internetGateway(describe(igw)).build();
    }

    private software.amazon.awssdk.services.ec2.model.InternetGateway describe(InternetGateway igw) {
        List<InternetGatewayAttachment> attachments = igw.vpcId == null ? List.of()
                : List.of(InternetGatewayAttachment.builder().vpcId(igw.vpcId).state("available").build());
        return software.amazon.awssdk.services.ec2.model.InternetGateway.builder()
                .internetGatewayId(igw.id).ownerId(r.accountId()).attachments(attachments)
                .tags(Ec2Tags.sdk(igw.tags)).build();
    }

    AttachInternetGatewayResponse attachInternetGateway(CallLog.Call call, AttachInternetGatewayRequest q) {
        InternetGateway igw = r.require(call, r.internetGateways, Kind.INTERNET_GATEWAY, q.internetGatewayId());
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.INTERNET_GATEWAY, igw);
        r.touch(call, Kind.VPC, vpc);
        if (igw.vpcId != null) {
            throw r.fail(call, "Resource.AlreadyAssociated",
                    "resource " + igw.id + " is already attached to network " + igw.vpcId);
        }
        if (r.internetGateways.values().stream().anyMatch(g -> vpc.id.equals(g.vpcId))) {
            throw r.fail(call, "Resource.AlreadyAssociated",
                    "network " + vpc.id + " already has an internet gateway attached");
        }
        igw.vpcId = vpc.id;
        return AttachInternetGatewayResponse.builder().build();
    }

    DetachInternetGatewayResponse detachInternetGateway(CallLog.Call call, DetachInternetGatewayRequest q) {
        InternetGateway igw = r.require(call, r.internetGateways, Kind.INTERNET_GATEWAY, q.internetGatewayId());
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.INTERNET_GATEWAY, igw);
        r.touch(call, Kind.VPC, vpc);
        if (!vpc.id.equals(igw.vpcId)) {
            throw r.fail(call, "Gateway.NotAttached", "resource " + igw.id + " is not attached to network " + vpc.id);
        }
        // the reason teardown waits for instances to be terminated before touching the gateway
        if (r.instancesHoldingInterfaces().stream().anyMatch(i -> i.vpcId.equals(vpc.id) && i.publicIp != null)) {
            throw r.fail(call, "DependencyViolation", "Network " + vpc.id + " has some mapped public address(es)."
                    + " Please unmap those public address(es) before detaching the gateway.");
        }
        igw.vpcId = null;
        return DetachInternetGatewayResponse.builder().build();
    }

    DeleteInternetGatewayResponse deleteInternetGateway(CallLog.Call call, DeleteInternetGatewayRequest q) {
        InternetGateway igw = r.require(call, r.internetGateways, Kind.INTERNET_GATEWAY, q.internetGatewayId());
        r.touch(call, Kind.INTERNET_GATEWAY, igw);
        if (igw.vpcId != null) {
            throw r.fail(call, "DependencyViolation",
                    "The internetGateway '" + igw.id + "' has dependencies and cannot be deleted.");
        }
        r.internetGateways.remove(igw.id);
        return DeleteInternetGatewayResponse.builder().build();
    }

    DescribeInternetGatewaysResponse describeInternetGateways(CallLog.Call call, DescribeInternetGatewaysRequest q) {
        Predicate<InternetGateway> filter = Ec2Filters.<InternetGateway>tagged(g -> g.tags)
                .on("internet-gateway-id", g -> g.id)
                .on("attachment.vpc-id", g -> g.vpcId)
                .on("attachment.state", g -> g.vpcId == null ? null : "available")
                .on("owner-id", g -> r.accountId())
                .matcher(q.filters(), r.invalidParameter(call));
        List<InternetGateway> found = r.select(call, r.internetGateways, Kind.INTERNET_GATEWAY,
                q.internetGatewayIds(), filter);
        Ec2Page<InternetGateway> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeInternetGatewaysResponse.builder()
                .internetGateways(page.items().stream().map(this::describe).toList())
                .nextToken(page.nextToken()).build();
    }

    private Ec2Cidr cidr(CallLog.Call call, String text) {
        if (text == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter cidrBlock");
        }
        return Ec2Cidr.parse(text).orElseThrow(() -> r.fail(call, "InvalidParameterValue",
                "Value (" + text + ") for parameter cidrBlock is invalid. This is not a valid CIDR block."));
    }
}
