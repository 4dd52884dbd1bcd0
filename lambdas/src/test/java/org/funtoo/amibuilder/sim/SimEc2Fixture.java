package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.network.Network;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * A simulated account with realistic timings and the steps the builder takes, so each SimEc2 test states only
 * what it is about. Resources carry the builder's tags like the real handlers set them.
 */
final class SimEc2Fixture {
    static final String BUILD = "build-0001";
    static final String PROFILE_ARN = "arn:aws:iam::" + SimAws.ACCOUNT_ID + ":instance-profile/helper";

    final SimAws aws = new SimAws(new SimClock(), SimTimings.realistic());
    final SimEc2 ec2 = aws.ec2();

    static Map<String, String> builderTags(String purpose) {
        return Map.of(SimAws.BUILD_ID_TAG, BUILD, SimAws.MANAGED_TAG, "true",
                "Name", "funtoo-ami-builder-" + BUILD + "-" + purpose);
    }

    static TagSpecification tags(ResourceType type, String purpose) {
        return TagSpecification.builder().resourceType(type)
                .tags(builderTags(purpose).entrySet().stream()
                        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())
                .build();
    }

    static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    /** The AWS error code the call fails with (it must fail with an Ec2Exception). */
    static String code(Executable call) {
        return assertThrows(Ec2Exception.class, call).awsErrorDetails().errorCode();
    }

    void advance(Duration d) {
        aws.clock().advance(d);
    }

    String vpc(String cidr) {
        return ec2.createVpc(b -> b.cidrBlock(cidr).tagSpecifications(tags(ResourceType.VPC, "vpc"))).vpc().vpcId();
    }

    String subnet(String vpcId, String cidr, String zone) {
        return ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)
                .tagSpecifications(tags(ResourceType.SUBNET, "subnet"))).subnet().subnetId();
    }

    String publicSubnet(String vpcId, String cidr) {
        String subnetId = subnet(vpcId, cidr, "us-east-1a");
        ec2.modifySubnetAttribute(b -> b.subnetId(subnetId).mapPublicIpOnLaunch(v -> v.value(true)));
        return subnetId;
    }

    String group(String vpcId, String name) {
        return ec2.createSecurityGroup(b -> b.vpcId(vpcId).groupName(name).description("helper")
                .tagSpecifications(tags(ResourceType.SECURITY_GROUP, "sg"))).groupId();
    }

    String attachedInternetGateway(String vpcId) {
        String igw = ec2.createInternetGateway(b -> b.tagSpecifications(tags(ResourceType.INTERNET_GATEWAY, "igw")))
                .internetGateway().internetGatewayId();
        ec2.attachInternetGateway(b -> b.internetGatewayId(igw).vpcId(vpcId));
        return igw;
    }

    /** The helper launch as the builder makes it: AL2023, an empty 20 GiB target disk that survives termination. */
    RunInstancesRequest.Builder helperLaunch(String subnetId, String groupId) {
        return RunInstancesRequest.builder()
                .imageId(SimAws.AL2023_X86_64_IMAGE_ID).instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnetId).securityGroupIds(groupId)
                .iamInstanceProfile(IamInstanceProfileSpecification.builder().arn(PROFILE_ARN).build())
                .metadataOptions(m -> m.httpTokens("required"))
                .instanceInitiatedShutdownBehavior("terminate")
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/sdf")
                        .ebs(EbsBlockDevice.builder().volumeSize(20).volumeType("gp3").deleteOnTermination(false)
                                .build()).build())
                .tagSpecifications(tags(ResourceType.INSTANCE, "helper"), tags(ResourceType.VOLUME, "target"));
    }

    /** A VPC with a public subnet, a group and a gateway, and a helper instance in it. */
    final class Network {
        final String vpcId = vpc("10.0.0.0/16");
        final String subnetId = publicSubnet(vpcId, "10.0.1.0/24");
        final String groupId = group(vpcId, "helper");
        final String internetGatewayId = attachedInternetGateway(vpcId);

        Instance launchHelper() {
            return ec2.runInstances(helperLaunch(subnetId, groupId).build()).instances().get(0);
        }

        /** Routes the subnet to the gateway, as the builder's temporary network does: the internet is reachable. */
        Network routed() {
            String table = ec2.createRouteTable(b -> b.vpcId(vpcId)
                    .tagSpecifications(tags(ResourceType.ROUTE_TABLE, "rt"))).routeTable().routeTableId();
            ec2.createRoute(b -> b.routeTableId(table).destinationCidrBlock("0.0.0.0/0").gatewayId(internetGatewayId));
            ec2.associateRouteTable(b -> b.routeTableId(table).subnetId(subnetId));
            return this;
        }
    }

    Network network() {
        return new Network();
    }

    Instance describe(String instanceId) {
        return ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().get(0).instances().get(0);
    }

    List<String> instanceIds() {
        return ec2.describeInstances(b -> { }).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList();
    }
}
