package org.funtoo.amibuilder.lambdas.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.input.ResolveHelperImageHandler;
import org.funtoo.amibuilder.lambdas.network.CheckExistingNetworkHandler;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;

class LaunchHelperInstanceHandlerTest {
    private final Fixture f = new Fixture();
    private final LaunchHelperInstanceHandler handler = new LaunchHelperInstanceHandler(f.deps());

    @Test
    void launchesTheHelperWithTargetVolumeImdsV2AndTerminateOnShutdown() {
        Map<String, Object> before = f.network();
        String instanceId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.INSTANCE_ID);
        Instance instance = instance(instanceId);
        Expect.builderTags(instance.tags(), "helper");
        assertEquals(before.get(Resources.HELPER_IMAGE_ID), instance.imageId());
        assertEquals("t3.small", instance.instanceTypeAsString());
        assertEquals(before.get(Resources.SUBNET_ID), instance.subnetId());
        assertEquals(before.get(Resources.SECURITY_GROUP_ID), instance.securityGroups().get(0).groupId());
        assertEquals(HttpTokensState.REQUIRED, instance.metadataOptions().httpTokens());
        assertEquals(HttpTokensState.REQUIRED, request().metadataOptions().httpTokens(),
                "asked for, not left to the image's default");
        assertEquals(1, instance.metadataOptions().httpPutResponseHopLimit());
        assertEquals(Fixture.PROFILE_ARN, instance.iamInstanceProfile().arn());
        assertEquals(ShutdownBehavior.TERMINATE, request().instanceInitiatedShutdownBehavior());
        assertNull(request().instanceMarketOptions(), "on-demand unless helper.spot");
        Volume target = targetVolume(instance);
        assertEquals(10, target.size());
        assertEquals(VolumeType.GP3, target.volumeType());
        assertTrue(target.attachments().get(0).deleteOnTermination());
        Expect.builderTags(target.tags(), "helper-volume");
    }

    @Test
    void helperThatPowersItselfOffTerminatesInsteadOfLingeringStopped() {
        String instanceId = Fixture.id(handler.handleRequest(f.doc(f.network()), null), Resources.INSTANCE_ID);
        f.aws.clock().advance(f.aws.timings().instancePending);
        f.aws.ec2().powerOffFromInside(instanceId);
        String state = instance(instanceId).state().nameAsString();
        assertTrue(state.equals("shutting-down") || state.equals("terminated"), state);
    }

    @Test
    void retryReturnsTheSameInstanceAndClientTokenIsDerivedFromTheBuild() {
        Map<String, Object> before = f.network();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.INSTANCE_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.INSTANCE_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ec2", "RunInstances"));
        assertEquals(LaunchHelperInstanceHandler.clientToken(Fixture.BUILD_ID), request().clientToken());
        assertTrue(request().clientToken().length() <= 64);
    }

    @Test
    void encryptedSpotBuildAsksForAnEncryptedTargetOnASpotInstance() {
        f.input("{\"helper\":{\"spot\":true},\"image\":{\"encrypted\":true,\"volumeSizeGiB\":16}}");
        String instanceId = Fixture.id(handler.handleRequest(f.doc(f.network()), null), Resources.INSTANCE_ID);
        // The simulation does not model spot lifecycles: check the request.
        assertEquals(MarketType.SPOT, request().instanceMarketOptions().marketType());
        assertEquals(InstanceInterruptionBehavior.TERMINATE,
                request().instanceMarketOptions().spotOptions().instanceInterruptionBehavior());
        Volume target = targetVolume(instance(instanceId));
        assertTrue(target.encrypted());
        assertEquals(16, target.size());
    }

    @Test
    void callersNetworkIsUsedAsGiven() {
        Fixture.CallerNetwork net = f.callerNetwork(true, true);
        f.input(net.input());
        Map<String, Object> resources = new CheckExistingNetworkHandler(f.deps()).handleRequest(
                f.doc(new ResolveHelperImageHandler(f.deps()).handleRequest(f.doc(Map.of()), null)),
                null);
        Instance instance = instance(Fixture.id(handler.handleRequest(f.doc(resources), null), Resources.INSTANCE_ID));
        assertEquals(net.subnetId(), instance.subnetId());
        assertEquals(net.groupId(), instance.securityGroups().get(0).groupId());
    }

    @Test
    void vcpuQuotaInUseIsWaitedForAndAnyOtherRefusalIsHelperFailedAtOnce() {
        Map<String, Object> before = f.network();
        f.aws.quotas().set(org.funtoo.amibuilder.sim.SimQuotas.Quota.STANDARD_ON_DEMAND_VCPUS, 1);
        Expect.retried(ErrorName.AwsNotReady, "VcpuLimitExceeded", () -> handler.handleRequest(f.doc(before), null));
        f.aws.quotas().set(org.funtoo.amibuilder.sim.SimQuotas.Quota.STANDARD_ON_DEMAND_VCPUS, 5);
        f.aws.faults().failNth("ec2", "RunInstances", 1, "InvalidBlockDeviceMapping");
        Expect.named(ErrorName.HelperFailed, "InvalidBlockDeviceMapping",
                () -> handler.handleRequest(f.doc(before), null));
        assertEquals(0, f.inventory().stream().filter(r -> r.id().startsWith("i-")).count());
    }

    @Test
    void capacityShortageIsLeftToTheStateMachinesRetry() {
        Map<String, Object> before = f.network();
        f.aws.faults().failNth("ec2", "RunInstances", 1, "InsufficientInstanceCapacity");
        Expect.retried(ErrorName.AwsNotReady, "InsufficientInstanceCapacity", () -> handler.handleRequest(f.doc(before), null));
        assertEquals(0, f.inventory().stream().filter(r -> r.id().startsWith("i-")).count());
    }

    private RunInstancesRequest request() {
        return (RunInstancesRequest) f.aws.calls().matching(c -> c.operation().equals("RunInstances")).get(0).request();
    }

    private Instance instance(String id) {
        return f.aws.ec2().describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private Volume targetVolume(Instance instance) {
        String volumeId = instance.blockDeviceMappings().stream()
                .filter(m -> m.deviceName().equals(LaunchHelperInstanceHandler.TARGET_DEVICE))
                .findFirst().orElseThrow().ebs().volumeId();
        return f.aws.ec2().describeVolumes(r -> r.volumeIds(volumeId)).volumes().get(0);
    }
}
