package org.funtoo.amibuilder.sim;

import static org.funtoo.amibuilder.sim.SimEc2Fixture.code;
import static org.funtoo.amibuilder.sim.SimEc2Fixture.filter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceTypeOffering;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

class SimEc2InstancesTest {
    private final SimEc2Fixture f = new SimEc2Fixture();
    private final SimEc2 ec2 = f.ec2;
    private final SimEc2Fixture.Network net = f.network();

    // ---- launch checks

    @Test
    void instanceIsPendingUntilInstancePendingHasPassedThenRunning() {
        Instant launched = f.aws.clock().instant();
        Instance instance = net.launchHelper();
        assertEquals("pending", instance.state().nameAsString());
        assertEquals(0, instance.state().code());
        assertEquals(Optional.empty(), ec2.runningSince(instance.instanceId()));

        f.advance(f.aws.timings().instancePending.minusSeconds(1));
        assertEquals("pending", f.describe(instance.instanceId()).state().nameAsString());
        f.advance(Duration.ofSeconds(1));

        Instance running = f.describe(instance.instanceId());
        assertEquals("running", running.state().nameAsString());
        assertEquals(16, running.state().code());
        assertEquals(Optional.of(launched.plus(f.aws.timings().instancePending)),
                ec2.runningSince(instance.instanceId()));
    }

    @Test
    void runInstancesWithSubnetAndGroupOfDifferentVpcsFails() {
        String otherVpc = f.vpc("10.1.0.0/16");
        String foreignGroup = f.group(otherVpc, "foreign");
        assertEquals("InvalidParameter", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId, foreignGroup)
                .build())));
        assertTrue(f.instanceIds().isEmpty());
        assertTrue(ec2.describeVolumes(b -> { }).volumes().isEmpty());
    }

    @Test
    void runInstancesNeedsAnExistingAvailableImage() {
        assertEquals("InvalidAMIID.NotFound", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId)
                .imageId("ami-0123456789abcdef0").build())));
        assertEquals("InvalidAMIID.Malformed", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId)
                .imageId("ami-nothex").build())));
    }

    @Test
    void runInstancesWithArm64TypeForX86ImageFailsWithInvalidParameterValue() {
        assertEquals("InvalidParameterValue", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId)
                .instanceType("t4g.micro").build())));
        ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId).instanceType("t4g.micro")
                .imageId(SimAws.AL2023_ARM64_IMAGE_ID).build());
    }

    @Test
    void instanceTypeRemovedFromTheSubnetZoneIsNoLongerOfferedAndFailsWithUnsupported() {
        ec2.removeOffering("t3.micro", "us-east-1a");

        List<String> zones = ec2.describeInstanceTypeOfferings(b -> b.locationType("availability-zone")
                .filters(filter("instance-type", "t3.micro"))).instanceTypeOfferings().stream()
                .map(InstanceTypeOffering::location).toList();
        assertEquals(List.of("us-east-1b", "us-east-1c"), zones);
        assertEquals("Unsupported", code(net::launchHelper));
    }

    @Test
    void runInstancesWithGroupNamesInAVpcFailsWithInvalidParameterCombination() {
        assertEquals("InvalidParameterCombination", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId,
                net.groupId).securityGroups("helper").build())));
        assertEquals("VPCIdNotSpecified", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId)
                .subnetId(null).securityGroupIds(List.of()).build())));
    }

    @Test
    void runInstancesCreatesTheRootVolumeFromTheImageSnapshotAndTheTaggedTargetVolume() {
        Instance instance = net.launchHelper();
        Map<String, Volume> byDevice = ec2.describeVolumes(b -> b.filters(filter("attachment.instance-id",
                instance.instanceId()))).volumes().stream()
                .collect(Collectors.toMap(v -> v.attachments().get(0).device(), v -> v));

        Volume root = byDevice.get("/dev/xvda");
        assertEquals("snap-0a2023000000864a0", root.snapshotId());
        assertEquals(8, root.size());
        assertTrue(root.attachments().get(0).deleteOnTermination());
        Volume target = byDevice.get("/dev/sdf");
        assertEquals(20, target.size());
        assertEquals("gp3", target.volumeTypeAsString());
        assertEquals("in-use", target.stateAsString());
        assertFalse(target.attachments().get(0).deleteOnTermination());
        assertEquals(SimEc2Fixture.builderTags("target"), tags(target.tags()));
        assertEquals("us-east-1a", target.availabilityZone());
    }

    @Test
    void runInstancesRecordsProfileMetadataOptionsAndNetworkPlacement() {
        Instance instance = net.launchHelper();
        assertEquals(SimEc2Fixture.PROFILE_ARN, instance.iamInstanceProfile().arn());
        assertEquals("required", instance.metadataOptions().httpTokensAsString());
        assertEquals(2, instance.metadataOptions().httpPutResponseHopLimit());
        assertEquals(net.subnetId, instance.subnetId());
        assertEquals(net.vpcId, instance.vpcId());
        assertEquals(List.of(net.groupId), instance.securityGroups().stream().map(g -> g.groupId()).toList());
        assertEquals("10.0.1.4", instance.privateIpAddress());
        assertTrue(instance.publicIpAddress() != null);
        assertEquals(SimEc2Fixture.builderTags("helper"), tags(instance.tags()));

        SimEc2.InstanceFacts facts = ec2.instanceFacts(instance.instanceId()).orElseThrow();
        assertTrue(facts.ssmAgentInstalled());
        assertEquals(SimEc2Fixture.PROFILE_ARN, facts.iamInstanceProfileArn());
        assertFalse(facts.internetAccess(), "the subnet has no route to the gateway yet");
    }

    @Test
    void instanceReachesTheInternetOnlyThroughADefaultRouteToAnAttachedGateway() {
        String instanceId = net.launchHelper().instanceId();
        String table = ec2.createRouteTable(b -> b.vpcId(net.vpcId)).routeTable().routeTableId();
        ec2.createRoute(b -> b.routeTableId(table).destinationCidrBlock("0.0.0.0/0")
                .gatewayId(net.internetGatewayId));
        assertFalse(ec2.instanceFacts(instanceId).orElseThrow().internetAccess());

        ec2.associateRouteTable(b -> b.routeTableId(table).subnetId(net.subnetId));

        assertTrue(ec2.instanceFacts(instanceId).orElseThrow().internetAccess());
    }

    // ---- idempotency

    @Test
    void sameClientTokenAndParametersReturnTheSameReservation() {
        RunInstancesRequest request = f.helperLaunch(net.subnetId, net.groupId).clientToken(SimEc2Fixture.BUILD)
                .build();
        var first = ec2.runInstances(request);
        f.advance(Duration.ofSeconds(5));
        var retried = ec2.runInstances(request);

        assertEquals(first.reservationId(), retried.reservationId());
        assertEquals(first.instances().get(0).instanceId(), retried.instances().get(0).instanceId());
        assertEquals(1, f.instanceIds().size());
        assertEquals(2, ec2.describeVolumes(b -> { }).volumes().size());
    }

    @Test
    void sameClientTokenWithDifferentParametersFailsWithIdempotentParameterMismatch() {
        ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId).clientToken(SimEc2Fixture.BUILD).build());
        assertEquals("IdempotentParameterMismatch", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId,
                net.groupId).clientToken(SimEc2Fixture.BUILD).instanceType("t3.small").build())));
        assertEquals(1, f.instanceIds().size());
    }

    @Test
    void clientTokenOfATerminatedInstanceFailsWithIdempotentInstanceTerminated() {
        RunInstancesRequest request = f.helperLaunch(net.subnetId, net.groupId).clientToken(SimEc2Fixture.BUILD)
                .build();
        String instanceId = ec2.runInstances(request).instances().get(0).instanceId();
        ec2.terminateInstances(b -> b.instanceIds(instanceId));
        assertEquals("IdempotentInstanceTerminated", code(() -> ec2.runInstances(request)));
    }

    @Test
    void clientTokenLongerThanSixtyFourCharactersIsRejected() {
        assertEquals("InvalidParameterValue", code(() -> ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId)
                .clientToken("x".repeat(65)).build())));
    }

    // ---- termination

    @Test
    void terminationDeletesDeleteOnTerminationVolumesAndLeavesTheOthersAvailable() {
        String instanceId = net.launchHelper().instanceId();
        f.advance(Duration.ofMinutes(2));
        var change = ec2.terminateInstances(b -> b.instanceIds(instanceId)).terminatingInstances().get(0);
        assertEquals("running", change.previousState().nameAsString());
        assertEquals("shutting-down", change.currentState().nameAsString());
        assertEquals(2, ec2.describeVolumes(b -> b.filters(filter("status", "in-use"))).volumes().size());

        f.advance(f.aws.timings().instanceShuttingDown);

        assertEquals("terminated", f.describe(instanceId).state().nameAsString());
        List<Volume> left = ec2.describeVolumes(b -> { }).volumes();
        assertEquals(1, left.size());
        assertEquals(20, left.get(0).size());
        assertEquals("available", left.get(0).stateAsString());
        assertTrue(left.get(0).attachments().isEmpty());
        ec2.deleteVolume(b -> b.volumeId(left.get(0).volumeId()));
    }

    @Test
    void deleteVolumeAttachedToAnInstanceFailsWithVolumeInUse() {
        String instanceId = net.launchHelper().instanceId();
        String target = ec2.describeVolumes(b -> b.filters(filter("attachment.instance-id", instanceId),
                filter("attachment.device", "/dev/sdf"))).volumes().get(0).volumeId();
        assertEquals("VolumeInUse", code(() -> ec2.deleteVolume(b -> b.volumeId(target))));
    }

    @Test
    void terminatedInstanceStaysVisibleForAboutAnHourThenVanishes() {
        String instanceId = net.launchHelper().instanceId();
        ec2.terminateInstances(b -> b.instanceIds(instanceId));
        f.advance(Duration.ofMinutes(50));
        Instance terminated = f.describe(instanceId);
        assertEquals("terminated", terminated.state().nameAsString());
        assertEquals("Client.UserInitiatedShutdown", terminated.stateReason().code());
        assertTrue(terminated.networkInterfaces().isEmpty());

        f.advance(Duration.ofMinutes(15));

        assertEquals("InvalidInstanceID.NotFound", code(() -> f.describe(instanceId)));
        assertTrue(f.instanceIds().isEmpty());
    }

    @Test
    void terminateInstancesWithUnknownOrMalformedIdFails() {
        assertEquals("InvalidInstanceID.NotFound", code(() -> ec2.terminateInstances(b -> b
                .instanceIds("i-0123456789abcdef0"))));
        assertEquals("InvalidInstanceID.Malformed", code(() -> ec2.terminateInstances(b -> b.instanceIds("i-xyz"))));
    }

    @Test
    void instancePoweringItselfOffFollowsItsShutdownBehaviour() {
        String instanceId = net.launchHelper().instanceId();
        String stopping = ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId)
                .instanceInitiatedShutdownBehavior("stop").build()).instances().get(0).instanceId();
        f.advance(f.aws.timings().instancePending);

        ec2.powerOffFromInside(instanceId).powerOffFromInside(stopping);

        assertEquals("shutting-down", f.describe(instanceId).state().nameAsString());
        assertEquals("Client.InstanceInitiatedShutdown", f.describe(instanceId).stateReason().code());
        assertEquals("stopping", f.describe(stopping).state().nameAsString());
        f.advance(f.aws.timings().instanceStopping);
        assertEquals("stopped", f.describe(stopping).state().nameAsString());
    }

    // ---- status checks, console

    @Test
    void statusChecksInitializeOnceRunningAndPassAfterStatusChecksOk() {
        String instanceId = net.launchHelper().instanceId();
        assertTrue(ec2.describeInstanceStatus(b -> b.instanceIds(instanceId)).instanceStatuses().isEmpty(),
                "a pending instance has no status unless IncludeAllInstances");
        assertEquals("not-applicable", ec2.describeInstanceStatus(b -> b.instanceIds(instanceId)
                .includeAllInstances(true)).instanceStatuses().get(0).instanceStatus().statusAsString());

        f.advance(f.aws.timings().instancePending);
        assertEquals("initializing", status(instanceId).instanceStatus().statusAsString());
        f.advance(f.aws.timings().statusChecksOk);

        InstanceStatus status = status(instanceId);
        assertEquals("ok", status.instanceStatus().statusAsString());
        assertEquals("ok", status.systemStatus().statusAsString());
        assertEquals("passed", status.instanceStatus().details().get(0).statusAsString());
    }

    @Test
    void statusChecksOfAnInstanceWhoseImageFailsToBootEndImpaired() {
        ec2.onBoot(SimAws.AL2023_X86_64_IMAGE_ID, BootBehaviour.failsToBoot("Kernel panic - not syncing"));
        String instanceId = net.launchHelper().instanceId();
        f.advance(f.aws.timings().instancePending.plus(f.aws.timings().statusChecksOk));

        InstanceStatus status = status(instanceId);
        assertEquals("impaired", status.instanceStatus().statusAsString());
        assertEquals("failed", status.instanceStatus().details().get(0).statusAsString());
        assertEquals(List.of(instanceId), ec2.describeInstanceStatus(b -> b.filters(
                filter("instance-status.status", "impaired"))).instanceStatuses().stream()
                .map(InstanceStatus::instanceId).toList());
    }

    @Test
    void failStatusChecksHookImpairsOneInstance() {
        String failing = net.launchHelper().instanceId();
        String healthy = net.launchHelper().instanceId();
        ec2.failStatusChecks(failing);
        f.advance(f.aws.timings().instancePending.plus(f.aws.timings().statusChecksOk));

        assertEquals("impaired", status(failing).instanceStatus().statusAsString());
        assertEquals("ok", status(healthy).instanceStatus().statusAsString());
    }

    @Test
    void consoleOutputIsTheBase64TextOfTheBootOnceTheInstanceRan() {
        ec2.onBoot(SimAws.AL2023_X86_64_IMAGE_ID, BootBehaviour.boots("hello from the serial console"));
        String instanceId = net.launchHelper().instanceId();
        assertNull(ec2.getConsoleOutput(b -> b.instanceId(instanceId)).output());

        f.advance(f.aws.timings().instancePending);

        String output = ec2.getConsoleOutput(b -> b.instanceId(instanceId)).output();
        assertEquals("hello from the serial console",
                new String(Base64.getDecoder().decode(output), StandardCharsets.UTF_8));
    }

    @Test
    void consoleOutputIsPostedLateAndNamesTheInstanceWhereTheBootPrintsIt() {
        f.aws.timings().consoleOutput = Duration.ofSeconds(90);
        ec2.onBoot(SimAws.AL2023_X86_64_IMAGE_ID, BootBehaviour.boots("first boot of " + BootBehaviour.INSTANCE_ID));
        String instanceId = net.launchHelper().instanceId();
        f.advance(f.aws.timings().instancePending);
        assertNull(ec2.getConsoleOutput(b -> b.instanceId(instanceId).latest(true)).output());

        f.advance(Duration.ofSeconds(90));

        String output = ec2.getConsoleOutput(b -> b.instanceId(instanceId).latest(true)).output();
        assertEquals("first boot of " + instanceId, new String(Base64.getDecoder().decode(output),
                StandardCharsets.UTF_8));
    }

    @Test
    void latestConsoleOutputIsRefusedOnXenTypesAndServedWithoutLatest() {
        ec2.onBoot(SimAws.AL2023_X86_64_IMAGE_ID, BootBehaviour.boots("xen boot"));
        String instanceId = ec2.runInstances(f.helperLaunch(net.subnetId, net.groupId).instanceType("t2.micro")
                .build()).instances().get(0).instanceId();
        f.advance(f.aws.timings().instancePending.plus(f.aws.timings().consoleOutput));

        assertEquals("UnsupportedOperation", code(() -> ec2.getConsoleOutput(b -> b.instanceId(instanceId)
                .latest(true))));
        String output = ec2.getConsoleOutput(b -> b.instanceId(instanceId)).output();
        assertEquals("xen boot", new String(Base64.getDecoder().decode(output), StandardCharsets.UTF_8));
        assertEquals("xen", ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings("t2.micro")).instanceTypes()
                .get(0).hypervisorAsString());
    }

    // ---- catalogue

    @Test
    void instanceTypesReportTheirArchitectureAndZonesAreThreePerRegion() {
        List<String> arm = ec2.describeInstanceTypes(b -> b.filters(filter("processor-info.supported-architecture",
                "arm64"))).instanceTypes().stream().map(t -> t.instanceTypeAsString()).sorted().toList();
        assertEquals(List.of("c6g.large", "m6g.large", "t4g.micro", "t4g.small"), arm);
        assertEquals(List.of("x86_64"), ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings("m5.large"))
                .instanceTypes().get(0).processorInfo().supportedArchitecturesAsStrings());
        assertEquals("InvalidInstanceType", code(() -> ec2.describeInstanceTypes(b -> b
                .instanceTypesWithStrings("p5.48xlarge"))));

        assertEquals(List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"), f.aws.ec2("eu-west-1")
                .describeAvailabilityZones(b -> { }).availabilityZones().stream().map(z -> z.zoneName()).toList());
        assertEquals(3, f.aws.ec2("eu-west-1").describeInstanceTypeOfferings(b -> b.locationType("availability-zone")
                .filters(filter("instance-type", "c6g.large"))).instanceTypeOfferings().size());
    }

    @Test
    void describeInstancesFiltersByStateAndTag() {
        String kept = net.launchHelper().instanceId();
        String terminated = net.launchHelper().instanceId();
        ec2.terminateInstances(b -> b.instanceIds(terminated));

        List<String> live = ec2.describeInstances(b -> b.filters(filter("instance-state-name", "pending", "running"),
                filter("tag:" + SimAws.BUILD_ID_TAG, SimEc2Fixture.BUILD))).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList();

        assertEquals(List.of(kept), live);
    }

    private InstanceStatus status(String instanceId) {
        return ec2.describeInstanceStatus(b -> b.instanceIds(instanceId)).instanceStatuses().get(0);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
