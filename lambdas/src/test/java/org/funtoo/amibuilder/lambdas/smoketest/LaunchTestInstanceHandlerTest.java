package org.funtoo.amibuilder.lambdas.smoketest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.lambdas.testing.Images;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.Volume;

class LaunchTestInstanceHandlerTest {
    private final Fixture f = new Fixture();
    private final LaunchTestInstanceHandler handler = new LaunchTestInstanceHandler(f.deps());

    @Test
    void launchesTheNewImageOnTheSmallTypeInTheBuildsSubnetWithImdsV2AndNothingToLogInWith() {
        Map<String, Object> before = f.imageAvailable();
        Map<String, Object> after = handler.handleRequest(f.doc(before), null);

        Instance instance = instance(Fixture.id(after, Resources.TEST_INSTANCE_ID));
        assertEquals(before.get(Resources.IMAGE_ID), instance.imageId());
        assertEquals("t3.micro", instance.instanceTypeAsString());
        assertEquals(before.get(Resources.SUBNET_ID), instance.subnetId());
        assertEquals(List.of(before.get(Resources.SECURITY_GROUP_ID)),
                instance.securityGroups().stream().map(g -> g.groupId()).toList());
        assertEquals(HttpTokensState.REQUIRED, request().metadataOptions().httpTokens());
        assertEquals(HttpTokensState.REQUIRED, instance.metadataOptions().httpTokens());
        assertNull(instance.keyName(), "no key pair");
        assertNull(instance.iamInstanceProfile(), "no instance profile");
        assertEquals(ShutdownBehavior.TERMINATE, request().instanceInitiatedShutdownBehavior());
        Expect.builderTags(instance.tags(), "test-instance");
        Volume root = f.aws.ec2().describeVolumes(r -> r.volumeIds(instance.blockDeviceMappings().get(0).ebs()
                .volumeId())).volumes().get(0);
        Expect.builderTags(root.tags(), "test-volume");
        assertTrue(root.attachments().get(0).deleteOnTermination(), "the root volume goes with the instance");
        assertEquals(before.get(Resources.INSTANCE_ID), after.get(Resources.INSTANCE_ID), "the helper id is kept");
    }

    @Test
    void retryReturnsTheSameInstanceAndTheClientTokenIsTheBuildsSmokeToken() {
        Map<String, Object> before = f.imageAvailable();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.TEST_INSTANCE_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.TEST_INSTANCE_ID);

        assertEquals(first, second);
        assertEquals(1, f.aws.calls().matching(c -> c.operation().equals("RunInstances")
                && ((RunInstancesRequest) c.request()).imageId().equals(before.get(Resources.IMAGE_ID))).size());
        assertEquals(LaunchHelperInstanceHandler.clientToken(Fixture.BUILD_ID, "smoke"), request().clientToken());
        assertNotEquals(LaunchHelperInstanceHandler.clientToken(Fixture.BUILD_ID), request().clientToken());
    }

    @Test
    void arm64ImageIsTestedOnGraviton() {
        f.input("{\"distribution\":\"gentoo\",\"architecture\":\"arm64\"}");
        Map<String, Object> after = handler.handleRequest(f.doc(f.imageAvailable()), null);
        assertEquals("t4g.micro", instance(Fixture.id(after, Resources.TEST_INSTANCE_ID)).instanceTypeAsString());
    }

    @Test
    void callersSubnetAndGroupAreUsedAsGiven() {
        Fixture.CallerNetwork net = f.callerNetwork(true, true);
        f.input(net.input());
        Map<String, Object> resources = Map.of(Resources.IMAGE_ID, availableImageOfTheCallersBuild());
        Instance instance = instance(Fixture.id(handler.handleRequest(f.doc(resources), null),
                Resources.TEST_INSTANCE_ID));
        assertEquals(net.subnetId(), instance.subnetId());
        assertEquals(net.groupId(), instance.securityGroups().get(0).groupId());
    }

    @Test
    void imageEc2RefusesToLaunchIsSmokeTestFailedWithAwsReason() {
        Map<String, Object> before = f.imageAvailable();
        // the preflight refuses this type up front; here EC2 itself is the last line of defence
        f.input("{\"smokeTest\":{\"instanceType\":\"t4g.micro\"}}");
        Expect.named(ErrorName.SmokeTestFailed, "cannot launch a test instance (t4g.micro)",
                () -> handler.handleRequest(f.doc(before), null));
    }

    @Test
    void quotaInUseAndCapacityShortageAreWaitedForAndOtherRefusalsAreSmokeTestFailed() {
        Map<String, Object> before = f.imageAvailable();
        f.aws.faults().failNth("ec2", "RunInstances", 1, "VcpuLimitExceeded");
        Expect.retried(ErrorName.AwsNotReady, "VcpuLimitExceeded", () -> handler.handleRequest(f.doc(before), null));
        f.aws.faults().failNth("ec2", "RunInstances", 1, "InvalidBlockDeviceMapping");
        Expect.named(ErrorName.SmokeTestFailed, "InvalidBlockDeviceMapping",
                () -> handler.handleRequest(f.doc(before), null));
        f.aws.faults().failNth("ec2", "RunInstances", 1, "InsufficientInstanceCapacity");
        Expect.retried(ErrorName.AwsNotReady, "InsufficientInstanceCapacity", () -> handler.handleRequest(f.doc(before), null));
    }

    /** The caller's network path has no helper resources of its own to build on: register an image directly. */
    /** An image registered in the caller's network by this build (tagged as the build's, as RegisterImage does). */
    private String availableImageOfTheCallersBuild() {
        String imageId = Images.registerForeign(f.aws, "callers-image");
        f.aws.ec2().createTags(r -> r.resources(imageId).tags(
                t -> t.key(Tags.BUILD_ID).value(Fixture.BUILD_ID), t -> t.key(Tags.MANAGED).value("true")));
        f.aws.clock().advance(f.aws.timings().image.plusSeconds(1));
        return imageId;
    }

    private RunInstancesRequest request() {
        return (RunInstancesRequest) f.aws.calls().matching(c -> c.operation().equals("RunInstances")
                && c.caller().equals("test")).stream()
                .filter(c -> ((RunInstancesRequest) c.request()).instanceTypeAsString().endsWith(".micro"))
                .findFirst().orElseThrow().request();
    }

    private Instance instance(String id) {
        return f.aws.ec2().describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }
}
