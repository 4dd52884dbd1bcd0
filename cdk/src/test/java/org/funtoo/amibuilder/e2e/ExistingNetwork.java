package org.funtoo.amibuilder.e2e;

import software.amazon.awssdk.services.ec2.Ec2Client;

/** A caller's own network, made without the builder's tags: a public subnet with a route to a gateway, a group. */
record ExistingNetwork(String vpcId, String subnetId, String routeTableId, String securityGroupId) {

    static ExistingNetwork create(Ec2Client ec2) {
        String vpc = ec2.createVpc(b -> b.cidrBlock("172.31.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("172.31.1.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        ec2.modifySubnetAttribute(b -> b.subnetId(subnet).mapPublicIpOnLaunch(v -> v.value(true)));
        String igw = ec2.createInternetGateway(b -> { }).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpc));
        String table = ec2.createRouteTable(b -> b.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(b -> b.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        ec2.associateRouteTable(b -> b.routeTableId(table).subnetId(subnet));
        String group = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("mine").description("mine")).groupId();
        return new ExistingNetwork(vpc, subnet, table, group);
    }

    /** The execution input that builds in this network. */
    String asInput() {
        return "{\"network\": {\"subnetId\": \"" + subnetId + "\", \"securityGroupId\": \"" + securityGroupId + "\"}}";
    }
}
