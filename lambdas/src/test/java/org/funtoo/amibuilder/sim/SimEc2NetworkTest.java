package org.funtoo.amibuilder.sim;

import static org.funtoo.amibuilder.sim.SimEc2Fixture.code;
import static org.funtoo.amibuilder.sim.SimEc2Fixture.filter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Vpc;

class SimEc2NetworkTest {
    private final SimEc2Fixture f = new SimEc2Fixture();
    private final SimEc2 ec2 = f.ec2;

    // ---- VPCs

    @Test
    void createVpcComesWithMainRouteTableAndDefaultSecurityGroupThatAreNotBuilderTagged() {
        Vpc created = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")
                .tagSpecifications(SimEc2Fixture.tags(software.amazon.awssdk.services.ec2.model.ResourceType.VPC, "vpc")))
                .vpc();
        assertEquals("pending", created.stateAsString());
        assertEquals(SimEc2Fixture.BUILD, created.tags().stream()
                .filter(t -> t.key().equals(SimAws.BUILD_ID_TAG)).findFirst().orElseThrow().value());
        assertEquals("available", ec2.describeVpcs(b -> b.vpcIds(created.vpcId())).vpcs().get(0).stateAsString());

        List<RouteTable> tables = ec2.describeRouteTables(b -> b.filters(filter("vpc-id", created.vpcId())))
                .routeTables();
        assertEquals(1, tables.size());
        RouteTableAssociation main = tables.get(0).associations().get(0);
        assertTrue(main.main());
        assertTrue(tables.get(0).tags().isEmpty());
        assertEquals("local", tables.get(0).routes().get(0).gatewayId());

        List<SecurityGroup> groups = ec2.describeSecurityGroups(b -> b.filters(filter("vpc-id", created.vpcId())))
                .securityGroups();
        assertEquals(List.of("default"), groups.stream().map(SecurityGroup::groupName).toList());
        assertTrue(groups.get(0).tags().isEmpty());
    }

    @Test
    void createVpcOutsideTheAllowedSizesFailsWithInvalidVpcRange() {
        assertEquals("InvalidVpcRange", code(() -> ec2.createVpc(b -> b.cidrBlock("10.0.0.0/8"))));
        assertEquals("InvalidParameterValue", code(() -> ec2.createVpc(b -> b.cidrBlock("10.0.0/16"))));
        assertTrue(ec2.describeVpcs(b -> { }).vpcs().isEmpty());
    }

    @Test
    void deleteVpcWithSubnetFailsWithDependencyViolation() {
        String vpc = f.vpc("10.0.0.0/16");
        String subnet = f.subnet(vpc, "10.0.1.0/24", "us-east-1a");

        assertEquals("DependencyViolation", code(() -> ec2.deleteVpc(b -> b.vpcId(vpc))));
        ec2.deleteSubnet(b -> b.subnetId(subnet));
        ec2.deleteVpc(b -> b.vpcId(vpc));
        assertEquals("InvalidVpcID.NotFound", code(() -> ec2.describeVpcs(b -> b.vpcIds(vpc))));
    }

    @Test
    void deleteVpcWithAttachedInternetGatewayFailsWithDependencyViolation() {
        String vpc = f.vpc("10.0.0.0/16");
        String igw = f.attachedInternetGateway(vpc);

        assertEquals("DependencyViolation", code(() -> ec2.deleteVpc(b -> b.vpcId(vpc))));
        ec2.detachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));
        ec2.deleteVpc(b -> b.vpcId(vpc));
    }

    @Test
    void deleteVpcWithOwnRouteTableOrGroupFailsUntilTheyAreGoneThenTakesMainTableAndDefaultGroupAlong() {
        String vpc = f.vpc("10.0.0.0/16");
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        String group = f.group(vpc, "helper");
        List<String> builtIn = ec2.describeRouteTables(b -> b.filters(filter("association.main", "true")))
                .routeTables().stream().map(RouteTable::routeTableId).toList();

        assertEquals("DependencyViolation", code(() -> ec2.deleteVpc(b -> b.vpcId(vpc))));
        ec2.deleteRouteTable(b -> b.routeTableId(table));
        assertEquals("DependencyViolation", code(() -> ec2.deleteVpc(b -> b.vpcId(vpc))));
        ec2.deleteSecurityGroup(b -> b.groupId(group));
        ec2.deleteVpc(b -> b.vpcId(vpc));

        assertEquals("InvalidRouteTableID.NotFound", code(() -> ec2.describeRouteTables(b -> b.routeTableIds(builtIn))));
        assertTrue(ec2.describeSecurityGroups(b -> b.filters(filter("vpc-id", vpc))).securityGroups().isEmpty());
    }

    @Test
    void modifyVpcAttributeChangesOneAttributePerRequest() {
        String vpc = f.vpc("10.0.0.0/16");
        assertFalse(ec2.describeVpcAttribute(b -> b.vpcId(vpc).attribute("enableDnsHostnames"))
                .enableDnsHostnames().value());

        ec2.modifyVpcAttribute(b -> b.vpcId(vpc).enableDnsHostnames(v -> v.value(true)));

        assertTrue(ec2.describeVpcAttribute(b -> b.vpcId(vpc).attribute("enableDnsHostnames"))
                .enableDnsHostnames().value());
        assertEquals("InvalidParameterCombination", code(() -> ec2.modifyVpcAttribute(b -> b.vpcId(vpc)
                .enableDnsHostnames(v -> v.value(true)).enableDnsSupport(v -> v.value(true)))));
    }

    // ---- subnets

    @Test
    void createSubnetOutsideTheVpcRangeFailsWithInvalidSubnetRange() {
        String vpc = f.vpc("10.0.0.0/16");
        assertEquals("InvalidSubnet.Range", code(() -> f.subnet(vpc, "10.1.0.0/24", "us-east-1a")));
        assertEquals("InvalidSubnet.Range", code(() -> f.subnet(vpc, "10.0.0.0/29", "us-east-1a")));
    }

    @Test
    void createSubnetOverlappingAnotherFailsWithInvalidSubnetConflict() {
        String vpc = f.vpc("10.0.0.0/16");
        f.subnet(vpc, "10.0.0.0/20", "us-east-1a");
        assertEquals("InvalidSubnet.Conflict", code(() -> f.subnet(vpc, "10.0.1.0/24", "us-east-1b")));
        assertEquals(1, ec2.describeSubnets(b -> b.filters(filter("vpc-id", vpc))).subnets().size());
    }

    @Test
    void createSubnetInUnknownZoneFailsWithInvalidParameterValue() {
        String vpc = f.vpc("10.0.0.0/16");
        assertEquals("InvalidParameterValue", code(() -> f.subnet(vpc, "10.0.1.0/24", "us-east-1z")));
    }

    @Test
    void subnetTakesTheGivenZoneAndPublicAddressSetting() {
        String vpc = f.vpc("10.0.0.0/16");
        String subnet = f.publicSubnet(vpc, "10.0.1.0/24");
        var described = ec2.describeSubnets(b -> b.subnetIds(subnet)).subnets().get(0);
        assertEquals("us-east-1a", described.availabilityZone());
        assertTrue(described.mapPublicIpOnLaunch());
        assertEquals(251, described.availableIpAddressCount());
    }

    @Test
    void deleteSubnetUsedByInstanceFailsWithDependencyViolationUntilItIsTerminated() {
        SimEc2Fixture.Network net = f.network();
        String instance = net.launchHelper().instanceId();
        ec2.terminateInstances(b -> b.instanceIds(instance));

        assertEquals("DependencyViolation", code(() -> ec2.deleteSubnet(b -> b.subnetId(net.subnetId))));
        f.advance(f.aws.timings().instanceShuttingDown);
        ec2.deleteSubnet(b -> b.subnetId(net.subnetId));
    }

    // ---- internet gateways

    @Test
    void deleteInternetGatewayWhileAttachedFailsWithDependencyViolation() {
        String vpc = f.vpc("10.0.0.0/16");
        String igw = f.attachedInternetGateway(vpc);
        assertEquals("DependencyViolation", code(() -> ec2.deleteInternetGateway(b -> b.internetGatewayId(igw))));
        assertEquals(vpc, ec2.describeInternetGateways(b -> b.filters(filter("attachment.vpc-id", vpc)))
                .internetGateways().get(0).attachments().get(0).vpcId());
    }

    @Test
    void detachInternetGatewayFromAnotherVpcFailsWithGatewayNotAttached() {
        String vpc = f.vpc("10.0.0.0/16");
        String other = f.vpc("10.1.0.0/16");
        String igw = f.attachedInternetGateway(vpc);
        assertEquals("Gateway.NotAttached", code(() -> ec2.detachInternetGateway(b -> b.internetGatewayId(igw)
                .vpcId(other))));
    }

    @Test
    void attachingASecondGatewayToAVpcFailsWithAlreadyAssociated() {
        String vpc = f.vpc("10.0.0.0/16");
        f.attachedInternetGateway(vpc);
        assertEquals("Resource.AlreadyAssociated", code(() -> f.attachedInternetGateway(vpc)));
    }

    @Test
    void detachInternetGatewayWhileAnInstanceHasAPublicAddressFailsWithDependencyViolation() {
        SimEc2Fixture.Network net = f.network();
        String instance = net.launchHelper().instanceId();
        assertEquals("DependencyViolation", code(() -> ec2.detachInternetGateway(b -> b
                .internetGatewayId(net.internetGatewayId).vpcId(net.vpcId))));

        ec2.terminateInstances(b -> b.instanceIds(instance));
        f.advance(f.aws.timings().instanceShuttingDown);
        ec2.detachInternetGateway(b -> b.internetGatewayId(net.internetGatewayId).vpcId(net.vpcId));
    }

    // ---- route tables

    @Test
    void defaultRouteNeedsAGatewayAttachedToTheSameVpcAndIsCreatedOnce() {
        String vpc = f.vpc("10.0.0.0/16");
        String other = f.vpc("10.1.0.0/16");
        String foreignIgw = f.attachedInternetGateway(other);
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();

        assertEquals("InvalidParameterValue", code(() -> ec2.createRoute(b -> b.routeTableId(table)
                .destinationCidrBlock("0.0.0.0/0").gatewayId(foreignIgw))));
        assertEquals("InvalidGatewayID.NotFound", code(() -> ec2.createRoute(b -> b.routeTableId(table)
                .destinationCidrBlock("0.0.0.0/0").gatewayId("igw-0123456789abcdef0"))));

        String igw = f.attachedInternetGateway(vpc);
        assertTrue(ec2.createRoute(b -> b.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw))
                .returnValue());
        assertEquals("RouteAlreadyExists", code(() -> ec2.createRoute(b -> b.routeTableId(table)
                .destinationCidrBlock("0.0.0.0/0").gatewayId(igw))));
    }

    @Test
    void routeTurnsBlackholeWhenItsGatewayIsDetached() {
        String vpc = f.vpc("10.0.0.0/16");
        String igw = f.attachedInternetGateway(vpc);
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(b -> b.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));

        ec2.detachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));

        assertEquals(List.of("0.0.0.0/0"), ec2.describeRouteTables(b -> b.filters(filter("route.state", "blackhole")))
                .routeTables().stream().flatMap(t -> t.routes().stream())
                .filter(r -> r.stateAsString().equals("blackhole")).map(r -> r.destinationCidrBlock()).toList());
    }

    @Test
    void deleteRouteTableWhileAssociatedFailsWithDependencyViolation() {
        String vpc = f.vpc("10.0.0.0/16");
        String subnet = f.subnet(vpc, "10.0.1.0/24", "us-east-1a");
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        String association = ec2.associateRouteTable(b -> b.routeTableId(table).subnetId(subnet)).associationId();

        assertEquals("DependencyViolation", code(() -> ec2.deleteRouteTable(b -> b.routeTableId(table))));
        assertEquals("Resource.AlreadyAssociated", code(() -> ec2.associateRouteTable(b -> b.routeTableId(table)
                .subnetId(subnet))));
        ec2.disassociateRouteTable(b -> b.associationId(association));
        ec2.deleteRouteTable(b -> b.routeTableId(table));
        assertEquals("InvalidAssociationID.NotFound", code(() -> ec2.disassociateRouteTable(b -> b
                .associationId(association))));
    }

    @Test
    void mainRouteTableCanNeitherBeDeletedNorDisassociated() {
        String vpc = f.vpc("10.0.0.0/16");
        RouteTable main = ec2.describeRouteTables(b -> b.filters(filter("vpc-id", vpc), filter("association.main",
                "true"))).routeTables().get(0);

        assertEquals("DependencyViolation", code(() -> ec2.deleteRouteTable(b -> b.routeTableId(main.routeTableId()))));
        assertEquals("InvalidParameterValue", code(() -> ec2.disassociateRouteTable(b -> b
                .associationId(main.associations().get(0).routeTableAssociationId()))));
    }

    @Test
    void describeRouteTablesFindsTheTableOfASubnetAndItsDefaultRoute() {
        String vpc = f.vpc("10.0.0.0/16");
        String subnet = f.subnet(vpc, "10.0.1.0/24", "us-east-1a");
        String igw = f.attachedInternetGateway(vpc);
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(b -> b.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        ec2.associateRouteTable(b -> b.routeTableId(table).subnetId(subnet));

        List<RouteTable> found = ec2.describeRouteTables(b -> b.filters(filter("association.subnet-id", subnet),
                filter("route.destination-cidr-block", "0.0.0.0/0"))).routeTables();

        assertEquals(List.of(table), found.stream().map(RouteTable::routeTableId).toList());
        RouteTableAssociation association = found.get(0).associations().get(0);
        assertFalse(association.main());
        assertEquals(subnet, association.subnetId());
    }

    // ---- security groups

    @Test
    void newSecurityGroupAllowsAllEgressAndNoIngressAndItsNameIsUniquePerVpc() {
        String vpc = f.vpc("10.0.0.0/16");
        String group = f.group(vpc, "helper");
        SecurityGroup described = ec2.describeSecurityGroups(b -> b.groupIds(group)).securityGroups().get(0);

        assertTrue(described.ipPermissions().isEmpty());
        IpPermission egress = described.ipPermissionsEgress().get(0);
        assertEquals("-1", egress.ipProtocol());
        assertEquals("0.0.0.0/0", egress.ipRanges().get(0).cidrIp());
        assertEquals("InvalidGroup.Duplicate", code(() -> f.group(vpc, "helper")));
        assertEquals("InvalidGroup.Reserved", code(() -> f.group(vpc, "default")));
        assertEquals("VPCIdNotSpecified", code(() -> ec2.createSecurityGroup(b -> b.groupName("x").description("x"))));
    }

    @Test
    void defaultSecurityGroupCannotBeDeleted() {
        String vpc = f.vpc("10.0.0.0/16");
        String defaultGroup = ec2.describeSecurityGroups(b -> b.filters(filter("vpc-id", vpc),
                filter("group-name", "default"))).securityGroups().get(0).groupId();
        assertEquals("CannotDelete", code(() -> ec2.deleteSecurityGroup(b -> b.groupId(defaultGroup))));
    }

    @Test
    void deleteSecurityGroupUsedByShuttingDownInstanceFailsWithDependencyViolation() {
        SimEc2Fixture.Network net = f.network();
        String instance = net.launchHelper().instanceId();
        f.advance(Duration.ofMinutes(5));
        ec2.terminateInstances(b -> b.instanceIds(instance));
        f.advance(f.aws.timings().instanceShuttingDown.minusSeconds(1));
        assertEquals("shutting-down", f.describe(instance).state().nameAsString());

        assertEquals("DependencyViolation", code(() -> ec2.deleteSecurityGroup(b -> b.groupId(net.groupId))));

        f.advance(Duration.ofSeconds(1));
        assertEquals(net.groupId, ec2.deleteSecurityGroup(b -> b.groupId(net.groupId)).groupId());
    }

    @Test
    void deleteSecurityGroupReferencedByAnotherGroupFailsWithDependencyViolation() {
        String vpc = f.vpc("10.0.0.0/16");
        String referenced = f.group(vpc, "a");
        String referencing = f.group(vpc, "b");
        ec2.authorizeSecurityGroupIngress(b -> b.groupId(referencing).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(22).toPort(22).userIdGroupPairs(g -> g.groupId(referenced))));
        assertEquals("DependencyViolation", code(() -> ec2.deleteSecurityGroup(b -> b.groupId(referenced))));
    }

    @Test
    void rulesCannotBeAddedTwiceNorRevokedWhenAbsent() {
        String vpc = f.vpc("10.0.0.0/16");
        String group = f.group(vpc, "helper");
        IpPermission ssh = IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22)
                .ipRanges(IpRange.builder().cidrIp("192.0.2.0/24").build()).build();
        IpPermission allEgress = IpPermission.builder().ipProtocol("-1")
                .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build();

        ec2.authorizeSecurityGroupIngress(b -> b.groupId(group).ipPermissions(ssh));
        assertEquals("InvalidPermission.Duplicate", code(() -> ec2.authorizeSecurityGroupIngress(b -> b.groupId(group)
                .ipPermissions(ssh))));
        ec2.revokeSecurityGroupEgress(b -> b.groupId(group).ipPermissions(allEgress));

        SecurityGroup described = ec2.describeSecurityGroups(b -> b.groupIds(group)).securityGroups().get(0);
        assertTrue(described.ipPermissionsEgress().isEmpty());
        assertEquals(22, described.ipPermissions().get(0).fromPort());
        assertEquals("InvalidPermission.NotFound", code(() -> ec2.revokeSecurityGroupEgress(b -> b.groupId(group)
                .ipPermissions(allEgress))));
    }
}
