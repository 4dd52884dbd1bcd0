package org.funtoo.amibuilder.sim;

import static org.funtoo.amibuilder.sim.SimEc2Fixture.code;
import static org.funtoo.amibuilder.sim.SimEc2Fixture.filter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Region;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** What SimEc2 gives the account as a whole: fault injection, the call log, the inventory, ids, filters, tags. */
class SimEc2AccountTest {
    private static final String ARN = "arn:aws:ec2:us-east-1:" + SimAws.ACCOUNT_ID + ":";

    private final SimEc2Fixture f = new SimEc2Fixture();
    private final SimEc2 ec2 = f.ec2;

    // ---- injected faults

    @Test
    void throttledRunInstancesLeavesNoResourceBehindAndSucceedsWhenRetried() {
        SimEc2Fixture.Network net = f.network();
        f.aws.faults().failNth("ec2", "RunInstances", 1, "RequestLimitExceeded");

        Ec2Exception e = assertThrows(Ec2Exception.class, net::launchHelper);

        assertEquals("RequestLimitExceeded", e.awsErrorDetails().errorCode());
        assertEquals(503, e.statusCode());
        assertTrue(e.isThrottlingException());
        assertTrue(f.instanceIds().isEmpty());
        assertTrue(ec2.describeVolumes(b -> { }).volumes().isEmpty());
        assertEquals("RequestLimitExceeded", lastCall("RunInstances").errorCode());
        net.launchHelper();
        assertEquals(1, f.instanceIds().size());
    }

    @Test
    void injectedInternalErrorIsAServerErrorAndCreatesNothing() {
        f.aws.faults().failNth("ec2", "CreateVpc", 2, "InternalError");
        f.vpc("10.0.0.0/16");

        Ec2Exception e = assertThrows(Ec2Exception.class, () -> f.vpc("10.1.0.0/16"));

        assertEquals(500, e.statusCode());
        assertEquals("InternalError", e.awsErrorDetails().errorCode());
        assertEquals(1, ec2.describeVpcs(b -> { }).vpcs().size());
    }

    @Test
    void ruleViolationsAreClientErrorsWithStatus400() {
        String vpc = f.vpc("10.0.0.0/16");
        f.subnet(vpc, "10.0.1.0/24", "us-east-1a");
        Ec2Exception e = assertThrows(Ec2Exception.class, () -> ec2.deleteVpc(b -> b.vpcId(vpc)));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains(vpc));
    }

    @Test
    void dryRunAnswersDryRunOperationAndChangesNothing() {
        assertEquals("DryRunOperation", code(() -> ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16").dryRun(true))));
        assertTrue(ec2.describeVpcs(b -> { }).vpcs().isEmpty());
    }

    @Test
    void responsesCarryARequestIdLikeRealOnes() {
        assertNotNull(ec2.describeVpcs(b -> { }).responseMetadata().requestId());
        assertNotNull(ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).responseMetadata().requestId());
    }

    // ---- call log

    @Test
    void callLogRecordsCallerOperationAndEveryResourceRunInstancesActedOn() {
        SimEc2Fixture.Network net = f.network();
        String instanceId = f.aws.as("LaunchHelperInstanceHandler", () -> net.launchHelper().instanceId());

        CallLog.Call call = lastCall("RunInstances");
        assertEquals("LaunchHelperInstanceHandler", call.caller());
        assertEquals("ec2:RunInstances", call.action());
        assertTrue(call.succeeded());
        Map<String, Map<String, String>> touched = touched(call);
        assertEquals(SimEc2Fixture.builderTags("helper"), touched.get(ARN + "instance/" + instanceId));
        assertEquals(SimEc2Fixture.builderTags("vpc").get(SimAws.BUILD_ID_TAG),
                touched.get(ARN + "subnet/" + net.subnetId).get(SimAws.BUILD_ID_TAG));
        assertTrue(touched.containsKey(ARN + "security-group/" + net.groupId));
        assertEquals(Map.of(), touched.get("arn:aws:ec2:us-east-1::image/" + SimAws.AL2023_X86_64_IMAGE_ID));
        assertEquals(2, touched.keySet().stream().filter(a -> a.startsWith(ARN + "volume/vol-")).count());
        assertEquals(1, touched.keySet().stream().filter(a -> a.startsWith(ARN + "network-interface/eni-")).count());
        assertEquals("true", call.requestTags().get(SimAws.MANAGED_TAG));
        assertEquals(SimEc2Fixture.BUILD, call.requestTags().get(SimAws.BUILD_ID_TAG));
    }

    @Test
    void aFailedDeleteIsLoggedWithItsErrorAndTheTaggedResourceItActedOn() {
        String vpc = f.vpc("10.0.0.0/16");
        f.subnet(vpc, "10.0.1.0/24", "us-east-1a");
        f.aws.as("DeleteVpcHandler", () -> code(() -> ec2.deleteVpc(b -> b.vpcId(vpc))));

        CallLog.Call call = lastCall("DeleteVpc");
        assertEquals("DeleteVpcHandler", call.caller());
        assertEquals("DependencyViolation", call.errorCode());
        assertEquals(Map.of(ARN + "vpc/" + vpc, SimEc2Fixture.builderTags("vpc")), touched(call));
    }

    // ---- inventory

    @Test
    void inventoryOfBuildListsWhatTheBuildCreatedAndForgetsWhatTerminationRemoved() {
        SimEc2Fixture.Network net = f.network();
        String instanceId = net.launchHelper().instanceId();
        assertEquals(Map.of("vpc", 1L, "subnet", 1L, "security-group", 1L, "internet-gateway", 1L, "instance", 1L,
                "volume", 2L), countByType(f.aws.inventoryOfBuild(SimEc2Fixture.BUILD)));
        assertTrue(f.aws.inventory().stream().noneMatch(r -> r.type().equals("image")),
                "Amazon's public images are not the account's");
        assertTrue(f.aws.inventory().stream().anyMatch(r -> r.type().equals("route-table")));

        ec2.terminateInstances(b -> b.instanceIds(instanceId));
        f.advance(f.aws.timings().instanceShuttingDown);

        List<SimResource> left = f.aws.inventoryOfBuild(SimEc2Fixture.BUILD);
        assertEquals(Map.of("vpc", 1L, "subnet", 1L, "security-group", 1L, "internet-gateway", 1L, "volume", 1L),
                countByType(left));
        assertEquals("available", left.stream().filter(r -> r.type().equals("volume")).findFirst().orElseThrow()
                .state());
        assertTrue(f.aws.inventoryOfBuild("another-build").isEmpty());
    }

    @Test
    void deletingTheVpcLastLeavesNothingInTheInventory() {
        String vpc = f.vpc("10.0.0.0/16");
        String subnet = f.subnet(vpc, "10.0.1.0/24", "us-east-1a");
        ec2.deleteSubnet(b -> b.subnetId(subnet));
        ec2.deleteVpc(b -> b.vpcId(vpc));
        assertEquals(List.of(), f.aws.inventory());
    }

    // ---- ids

    @Test
    void malformedIdsFailWithTheirResourcesMalformedCode() {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("InvalidVpcID.Malformed", () -> ec2.describeVpcs(b -> b.vpcIds("vpc-123")));
        calls.put("InvalidSubnetID.Malformed", () -> ec2.describeSubnets(b -> b.subnetIds("subnet-xyz")));
        calls.put("InvalidGroupId.Malformed", () -> ec2.describeSecurityGroups(b -> b.groupIds("sg-")));
        calls.put("InvalidInternetGatewayId.Malformed", () -> ec2.deleteInternetGateway(b -> b.internetGatewayId("igw")));
        calls.put("InvalidRouteTableId.Malformed", () -> ec2.deleteRouteTable(b -> b.routeTableId("rtb-12")));
        calls.put("InvalidInstanceID.Malformed", () -> ec2.describeInstances(b -> b.instanceIds("i-0123")));
        calls.put("InvalidVolumeID.Malformed", () -> ec2.deleteVolume(b -> b.volumeId("vol-zz")));
        calls.put("InvalidSnapshotID.Malformed", () -> ec2.deleteSnapshot(b -> b.snapshotId("snapshot-1")));
        calls.put("InvalidAMIID.Malformed", () -> ec2.describeImages(b -> b.imageIds("ami-XYZ")));
        calls.forEach((expected, call) -> assertEquals(expected, code(call)));
    }

    @Test
    void unknownIdsFailWithTheirResourcesNotFoundCode() {
        String unknown = "0123456789abcdef0";
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("InvalidVpcID.NotFound", () -> ec2.deleteVpc(b -> b.vpcId("vpc-" + unknown)));
        calls.put("InvalidSubnetID.NotFound", () -> ec2.deleteSubnet(b -> b.subnetId("subnet-" + unknown)));
        calls.put("InvalidGroup.NotFound", () -> ec2.deleteSecurityGroup(b -> b.groupId("sg-" + unknown)));
        calls.put("InvalidInternetGatewayID.NotFound", () -> ec2.describeInternetGateways(b -> b
                .internetGatewayIds("igw-" + unknown)));
        calls.put("InvalidRouteTableID.NotFound", () -> ec2.describeRouteTables(b -> b.routeTableIds("rtb-" + unknown)));
        calls.put("InvalidInstanceID.NotFound", () -> ec2.describeInstanceStatus(b -> b.instanceIds("i-" + unknown)));
        calls.put("InvalidVolume.NotFound", () -> ec2.describeVolumes(b -> b.volumeIds("vol-" + unknown)));
        calls.put("InvalidSnapshot.NotFound", () -> ec2.describeSnapshots(b -> b.snapshotIds("snap-" + unknown)));
        calls.put("InvalidAMIID.NotFound", () -> ec2.deregisterImage(b -> b.imageId("ami-" + unknown)));
        calls.forEach((expected, call) -> assertEquals(expected, code(call)));
    }

    @Test
    void oneUnknownIdFailsTheWholeDescribeWhileAFilterThatMatchesNothingReturnsEmpty() {
        String vpc = f.vpc("10.0.0.0/16");
        assertEquals("InvalidVpcID.NotFound", code(() -> ec2.describeVpcs(b -> b.vpcIds(vpc, "vpc-0123456789abcdef0"))));
        assertTrue(ec2.describeVpcs(b -> b.vpcIds(vpc).filters(filter("tag:" + SimAws.BUILD_ID_TAG, "other")))
                .vpcs().isEmpty());
    }

    // ---- filters and paging

    @Test
    void unknownFilterNameFailsWithInvalidParameterValue() {
        f.vpc("10.0.0.0/16");
        assertEquals("InvalidParameterValue", code(() -> ec2.describeVpcs(b -> b.filters(filter("colour", "blue")))));
        assertEquals("InvalidParameterValue", code(() -> ec2.describeInstances(b -> b.filters(filter("state", "running")))));
    }

    @Test
    void tagFiltersMatchWildcardsAnyKeyAndAnyValue() {
        String vpc = f.vpc("10.0.0.0/16");
        ec2.createVpc(b -> b.cidrBlock("10.1.0.0/16"));

        assertEquals(List.of(vpc), vpcIds(ec2.describeVpcs(b -> b.filters(filter("tag:Name", "funtoo-ami-builder-*-vpc")))));
        assertEquals(List.of(vpc), vpcIds(ec2.describeVpcs(b -> b.filters(filter("tag-key", SimAws.MANAGED_TAG)))));
        assertEquals(List.of(vpc), vpcIds(ec2.describeVpcs(b -> b.filters(filter("tag-value", "build-000?")))));
        assertEquals(2, ec2.describeVpcs(b -> b.filters(filter("cidr", "10.0.0.0/16", "10.1.0.0/16"))).vpcs().size());
    }

    @Test
    void describeReturnsPagesWhenMaxResultsIsSetAndThePaginatorSeesAll() {
        f.aws.quotas().set(SimQuotas.Quota.VPCS, 8);
        for (int i = 0; i < 8; i++) {
            f.vpc("10." + i + ".0.0/16");
        }
        DescribeVpcsResponse first = ec2.describeVpcs(b -> b.maxResults(5));
        assertEquals(5, first.vpcs().size());
        assertNotNull(first.nextToken());
        DescribeVpcsResponse second = ec2.describeVpcs(b -> b.maxResults(6).nextToken(first.nextToken()));
        assertEquals(3, second.vpcs().size());
        assertNull(second.nextToken());

        assertEquals(8, ec2.describeVpcsPaginator(b -> b.maxResults(5)).vpcs().stream().count());
        // the published model: DescribeVpcs pages hold 5 to 1000
        assertEquals("InvalidParameterValue", code(() -> ec2.describeVpcs(b -> b.maxResults(2))));
        assertEquals("InvalidParameterValue", code(() -> ec2.describeVpcs(b -> b.nextToken("bogus"))));
        assertEquals("InvalidParameterCombination", code(() -> ec2.describeInstances(b -> b.maxResults(5)
                .instanceIds("i-0123456789abcdef0"))));
    }

    @Test
    void moreThan200FilterValuesInOneCallCountedOverAllFiltersFailWithFilterLimitExceeded() {
        List<String> ids = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "b" + i).toList();
        assertEquals(0, ec2.describeVpcs(b -> b.filters(filter("tag:" + SimAws.BUILD_ID_TAG,
                ids.toArray(String[]::new)))).vpcs().size());

        assertEquals("FilterLimitExceeded", code(() -> ec2.describeVpcs(b -> b.filters(
                filter("tag:" + SimAws.BUILD_ID_TAG, ids.toArray(String[]::new)),
                filter("tag:" + SimAws.MANAGED_TAG, "true")))));
        assertEquals("FilterLimitExceeded", code(() -> ec2.describeInstances(b -> b.filters(
                filter("tag:" + SimAws.BUILD_ID_TAG, ids.subList(0, 195).toArray(String[]::new)),
                filter("instance-state-name", "pending", "running", "shutting-down", "stopping", "stopped",
                        "terminated")))));
    }

    // ---- tags on create

    @Test
    void tagKeysInTheReservedAwsNamespaceAreRejectedAndNothingIsCreated() {
        assertEquals("InvalidTagKey.Malformed", code(() -> ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VPC)
                        .tags(Tag.builder().key("aws:cloudformation:stack-name").value("x").build()).build()))));
        assertTrue(ec2.describeVpcs(b -> { }).vpcs().isEmpty());
    }

    @Test
    void tagSpecificationForAResourceTypeTheOperationDoesNotCreateIsRejected() {
        String vpc = f.vpc("10.0.0.0/16");
        assertEquals("InvalidParameterValue", code(() -> ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.0.1.0/24")
                .tagSpecifications(SimEc2Fixture.tags(ResourceType.VPC, "subnet")))));
        assertTrue(ec2.describeSubnets(b -> { }).subnets().isEmpty());
    }

    @Test
    void createTagsTagsAnExistingResourceAndIsLoggedWithItsRequestTags() {
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        ec2.createTags(b -> b.resources(vpc).tags(Tag.builder().key("owner").value("someone-else").build()));

        Vpc tagged = ec2.describeVpcs(b -> b.vpcIds(vpc)).vpcs().get(0);
        assertEquals("someone-else", tagged.tags().get(0).value());
        assertEquals(Map.of("owner", "someone-else"), lastCall("CreateTags").requestTags());
        assertEquals("InvalidID", code(() -> ec2.createTags(b -> b.resources("thing-1")
                .tags(Tag.builder().key("k").value("v").build()))));
    }

    @Test
    void regionsOfOneAccountAreSeparate() {
        String vpc = f.vpc("10.0.0.0/16");
        SimEc2 frankfurt = f.aws.ec2("eu-central-1");
        String other = frankfurt.createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();

        assertTrue(!vpc.equals(other));
        assertEquals("InvalidVpcID.NotFound", code(() -> frankfurt.describeVpcs(b -> b.vpcIds(vpc))));
        assertEquals(Set.of("us-east-1", "eu-central-1"),
                f.aws.inventory().stream().map(SimResource::region).collect(Collectors.toSet()));
    }

    // ---- the account's regions

    @Test
    void describeRegionsListsTheSeventeenEnabledRegionsWithTheirEndpointsFromAnyRegion() {
        List<Region> regions = f.aws.ec2("ap-southeast-2").describeRegions().regions();

        assertEquals(List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1",
                "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1",
                "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1"),
                regions.stream().map(Region::regionName).toList());
        Region ireland = regions.get(5);
        assertEquals("ec2.eu-west-1.amazonaws.com", ireland.endpoint());
        assertEquals("opt-in-not-required", ireland.optInStatus());
        assertEquals(Set.of("opt-in-not-required"), regions.stream().map(Region::optInStatus)
                .collect(Collectors.toSet()));
        assertEquals(List.of(), f.aws.inventory(), "listing regions creates nothing");
    }

    @Test
    void describeRegionsShowsRegionsNotOptedInToOnlyWhenAskedForAllRegions() {
        List<Region> all = ec2.describeRegions(b -> b.allRegions(true)).regions();

        assertEquals(21, all.size());
        assertEquals(List.of("af-south-1", "ap-east-1", "eu-south-1", "me-south-1"), all.stream()
                .filter(r -> r.optInStatus().equals("not-opted-in")).map(Region::regionName).toList());
        assertTrue(ec2.describeRegions().regions().stream().noneMatch(r -> r.regionName().equals("af-south-1")));
    }

    @Test
    void describeRegionsFiltersByRegionNameWithWildcardsAndByName() {
        assertEquals(List.of("eu-west-1", "eu-west-2", "eu-west-3"), ec2.describeRegions(b -> b
                .filters(filter("region-name", "eu-west-*"))).regions().stream().map(Region::regionName).toList());
        assertEquals(List.of("sa-east-1"), ec2.describeRegions(b -> b.regionNames("sa-east-1")).regions().stream()
                .map(Region::regionName).toList());
        assertEquals(List.of("not-opted-in"), ec2.describeRegions(b -> b.allRegions(true)
                .filters(filter("region-name", "me-south-1"))).regions().stream().map(Region::optInStatus).toList());
    }

    @Test
    void describeRegionsRefusesUnknownRegionNamesAndFilters() {
        assertEquals("InvalidParameterValue", code(() -> ec2.describeRegions(b -> b.regionNames("us--east-1"))));
        assertEquals("InvalidParameterValue", code(() -> ec2.describeRegions(b -> b
                .filters(filter("zone-name", "us-east-1a")))));
        assertEquals("InvalidParameterValue", lastCall("DescribeRegions").errorCode());
    }

    private CallLog.Call lastCall(String operation) {
        List<CallLog.Call> calls = f.aws.calls().matching(c -> c.operation().equals(operation));
        return calls.get(calls.size() - 1);
    }

    private static Map<String, Map<String, String>> touched(CallLog.Call call) {
        return call.resources().stream().collect(Collectors.toMap(CallLog.Touched::arn, CallLog.Touched::tags));
    }

    private static Map<String, Long> countByType(List<SimResource> resources) {
        return resources.stream().collect(Collectors.groupingBy(SimResource::type, Collectors.counting()));
    }

    private static List<String> vpcIds(DescribeVpcsResponse response) {
        return response.vpcs().stream().map(Vpc::vpcId).toList();
    }
}
