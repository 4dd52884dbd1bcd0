package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.funtoo.amibuilder.lambdas.bootstrap.GetBootstrapCommandHandler;
import org.funtoo.amibuilder.lambdas.bootstrap.SendBootstrapCommandHandler;
import org.funtoo.amibuilder.lambdas.helper.DeleteVolumesHandler;
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import org.funtoo.amibuilder.lambdas.helper.TerminateInstancesHandler;
import org.funtoo.amibuilder.lambdas.image.CreateSnapshotHandler;
import org.funtoo.amibuilder.lambdas.image.DeleteFailedImageHandler;
import org.funtoo.amibuilder.lambdas.image.RegisterImageHandler;
import org.funtoo.amibuilder.lambdas.input.ResolveHelperImageHandler;
import org.funtoo.amibuilder.lambdas.network.CreateInternetGatewayHandler;
import org.funtoo.amibuilder.lambdas.network.CreateRouteTableHandler;
import org.funtoo.amibuilder.lambdas.network.CreateSecurityGroupHandler;
import org.funtoo.amibuilder.lambdas.network.CreateSubnetHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteInternetGatewayHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteRouteTableHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteSecurityGroupHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteSubnetHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteVpcHandler;
import org.funtoo.amibuilder.lambdas.notify.NotifySuccessHandler;
import org.funtoo.amibuilder.lambdas.publish.CopyImageHandler;
import org.funtoo.amibuilder.lambdas.publish.CopyImageHandlerTest;
import org.funtoo.amibuilder.lambdas.publish.DeleteFailedImageCopiesHandler;
import org.funtoo.amibuilder.lambdas.publish.DeprecateImageHandler;
import org.funtoo.amibuilder.lambdas.publish.PublishParameterHandler;
import org.funtoo.amibuilder.lambdas.publish.ShareImageHandler;
import org.funtoo.amibuilder.lambdas.smoketest.CheckFirstBootMarkerHandler;
import org.funtoo.amibuilder.lambdas.smoketest.CheckTestInstanceStatusHandler;
import org.funtoo.amibuilder.lambdas.smoketest.LaunchTestInstanceHandler;
import org.funtoo.amibuilder.lambdas.smoketest.TerminateTestInstanceHandler;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.lambdas.testing.Images;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.funtoo.amibuilder.sim.SimResource;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;

/**
 * A function invoked directly (outside the state machine) with an input of the caller's making must not act on
 * anything that is not its build's: one test per function that takes a resource from {@code resources}. Each is
 * refused with {@code InvalidInput} naming the field and the resource, before the function's changing call.
 */
class BuildOwnershipTest {
    private static final String OTHER_ACCOUNT = "999988887777";

    @Test
    void launchHelperInstanceRefusesAnImageOfAnOwnerTheStackDoesNotAllow() {
        Fixture f = new Fixture();
        String community = f.aws.ec2().publicImageOf(OTHER_ACCOUNT, "x86_64");
        Map<String, Object> resources = new LinkedHashMap<>(f.network());
        resources.put(Resources.HELPER_IMAGE_ID, community);
        Expect.named(ErrorName.InvalidInput, "helper.imageId: " + community + " is owned by " + OTHER_ACCOUNT,
                () -> new LaunchHelperInstanceHandler(f.deps())
                        .handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "RunInstances"));
    }

    @Test
    void launchHelperInstanceLaunchesAmazonsImage() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.helperLaunched();
        assertEquals(1, f.calls("ec2", "RunInstances"), resources.toString());
    }

    @Test
    void launchTestInstanceRefusesAnImageItsBuildDidNotRegister() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.imageAvailable());
        long launches = f.calls("ec2", "RunInstances");
        resources.put(Resources.IMAGE_ID, SimAws.AL2023_X86_64_IMAGE_ID);
        Expect.named(ErrorName.InvalidInput, "resources.imageId: " + SimAws.AL2023_X86_64_IMAGE_ID,
                () -> new LaunchTestInstanceHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(launches, f.calls("ec2", "RunInstances"));
    }

    @Test
    void copyImageRefusesAnImageThatIsNotItsBuilds() {
        Fixture f = new Fixture(CopyImageHandlerTest.TWO_REGIONS);
        Map<String, Object> resources = new LinkedHashMap<>(f.smokeTested());
        resources.put(Resources.IMAGE_ID, SimAws.AL2023_X86_64_IMAGE_ID);
        Expect.named(ErrorName.InvalidInput, SimAws.AL2023_X86_64_IMAGE_ID + " in us-east-1 (owner ",
                () -> new CopyImageHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "CopyImage"));
    }

    @Test
    void shareImageRefusesAnImageThatIsNotItsBuilds() {
        Fixture f = new Fixture("{\"publish\":{\"launchPermissionAccountIds\":[\"" + OTHER_ACCOUNT + "\"]}}");
        String own = f.aws.ec2().publicImageOf(SimAws.ACCOUNT_ID, "x86_64");
        Map<String, Object> resources = new LinkedHashMap<>(f.smokeTested());
        resources.put(Resources.IMAGE_ID, own);
        Expect.named(ErrorName.InvalidInput, "resources.imageId: " + own,
                () -> new ShareImageHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "ModifyImageAttribute"));
    }

    @Test
    void deprecateImageRefusesACopyThatIsNotItsBuilds() {
        Fixture f = new Fixture("{\"publish\":{\"copyToRegions\":[\"eu-west-1\"],\"deprecateAfterDays\":30}}");
        Map<String, Object> resources = new LinkedHashMap<>(f.copiesAvailable());
        String foreign = f.aws.ec2("eu-west-1").publicImageOf(SimAws.ACCOUNT_ID, "x86_64");
        resources.put(Resources.COPIES, Map.of("eu-west-1", foreign));
        Expect.named(ErrorName.InvalidInput, "resources.copies.eu-west-1: " + foreign,
                () -> new DeprecateImageHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "EnableImageDeprecation"));
    }

    @Test
    void sendBootstrapCommandRefusesAnInstanceThatIsNotItsBuildsHelper() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.helperOnline());
        String other = someoneElsesInstance(f, (String) resources.get(Resources.SUBNET_ID));
        resources.put(Resources.INSTANCE_ID, other);
        Expect.named(ErrorName.InvalidInput, "resources.instanceId: " + other + " is not a resource of build",
                () -> new SendBootstrapCommandHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ssm", "SendCommand"));
        assertEquals(0, f.calls("ssm", "ListCommands"));
    }

    @Test
    void getBootstrapCommandRefusesToReadAnotherDocumentsCommand() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.bootstrapSent());
        f.aws.ssm().registerDocument("SomeoneElses", Fixture.BOOTSTRAP_DOCUMENT);
        String theirs = f.aws.ssm().sendCommand(r -> r.documentName("SomeoneElses")
                .instanceIds((String) resources.get(Resources.INSTANCE_ID))
                .parameters(SendBootstrapCommandHandler.parameters(StateDocument.of(f.doc(resources)).config(),
                        (String) resources.get(Resources.TARGET_VOLUME_ID)))).command().commandId();
        resources.put(Resources.COMMAND_ID, theirs);
        f.aws.clock().advance(java.time.Duration.ofMinutes(1)); // delivered: GetCommandInvocation knows it
        Expect.named(ErrorName.InvalidInput, "resources.commandId: " + theirs + " ran SomeoneElses",
                () -> new GetBootstrapCommandHandler(f.deps())
                        .handleRequest(f.check(resources, Map.of(), "WaitForBootstrap"), null));
    }

    @Test
    void getBootstrapCommandRefusesAnInstanceThatIsNotItsBuildsHelper() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.bootstrapSent());
        String other = someoneElsesInstance(f, (String) resources.get(Resources.SUBNET_ID));
        resources.put(Resources.INSTANCE_ID, other);
        long reads = f.calls("ssm", "GetCommandInvocation");
        Expect.named(ErrorName.InvalidInput, "resources.instanceId: " + other,
                () -> new GetBootstrapCommandHandler(f.deps())
                        .handleRequest(f.check(resources, Map.of(), "WaitForBootstrap"), null));
        assertEquals(reads, f.calls("ssm", "GetCommandInvocation"));
    }

    @Test
    void resolveHelperImageRefusesAnImageOfAnOwnerTheStackDoesNotAllowBeforeAnythingIsCreated() {
        Fixture f = new Fixture();
        String community = f.aws.ec2().publicImageOf(OTHER_ACCOUNT, "x86_64");
        f.input("{\"helper\":{\"imageId\":\"" + community + "\"}}");
        Expect.named(ErrorName.InvalidInput, "helper.imageId: " + community + " is owned by " + OTHER_ACCOUNT
                        + ", not by an owner this stack allows for helpers (amazon, " + SimAws.ACCOUNT_ID,
                () -> new ResolveHelperImageHandler(f.deps())
                        .handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void resolveHelperImageAcceptsTheAccountsOwnImageAndRefusesTheDefaultWhenAmazonIsNotAllowed() {
        Fixture f = new Fixture();
        String own = f.aws.ec2().publicImageOf(SimAws.ACCOUNT_ID, "x86_64");
        f.input("{\"helper\":{\"imageId\":\"" + own + "\"}}");
        assertEquals(own, new ResolveHelperImageHandler(f.deps(Env.HELPER_IMAGE_OWNERS, SimAws.ACCOUNT_ID))
                .handleRequest(f.doc(Map.of()), null).get(Resources.HELPER_IMAGE_ID));
        f.input("{}");
        Expect.named(ErrorName.InvalidInput, "the default helper image " + SimAws.AL2023_X86_64_IMAGE_ID
                        + " (latest Amazon Linux 2023; give helper.imageId instead) is owned by",
                () -> new ResolveHelperImageHandler(f.deps(Env.HELPER_IMAGE_OWNERS, SimAws.ACCOUNT_ID))
                        .handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void createSubnetRefusesAVpcThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.preflight());
        String theirs = f.callerNetwork(false, false).vpcId();
        resources.put(Resources.VPC_ID, theirs);
        long before = f.calls("ec2", "CreateSubnet");
        Expect.named(ErrorName.InvalidInput, "resources.vpcId: " + theirs + " is not a resource of build",
                () -> new CreateSubnetHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(before, f.calls("ec2", "CreateSubnet"));
    }

    @Test
    void createInternetGatewayRefusesToAttachToAVpcThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.subnet());
        String theirs = f.callerNetwork(false, false).vpcId();
        resources.put(Resources.VPC_ID, theirs);
        Expect.named(ErrorName.InvalidInput, "resources.vpcId: " + theirs + " is not a resource of build",
                () -> new CreateInternetGatewayHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "AttachInternetGateway"));
    }

    @Test
    void createRouteTableRefusesASubnetThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.gateway());
        String theirs = f.callerNetwork(false, false).subnetId();
        resources.put(Resources.SUBNET_ID, theirs);
        long before = f.calls("ec2", "CreateRouteTable");
        Expect.named(ErrorName.InvalidInput, "resources.subnetId: " + theirs + " is not a resource of build",
                () -> new CreateRouteTableHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(before, f.calls("ec2", "CreateRouteTable"));
        assertEquals(0, f.calls("ec2", "AssociateRouteTable"));
    }

    @Test
    void createSecurityGroupRefusesAVpcThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.routeTable());
        String theirs = f.callerNetwork(false, false).vpcId();
        resources.put(Resources.VPC_ID, theirs);
        long before = f.calls("ec2", "CreateSecurityGroup");
        Expect.named(ErrorName.InvalidInput, "resources.vpcId: " + theirs + " is not a resource of build",
                () -> new CreateSecurityGroupHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(before, f.calls("ec2", "CreateSecurityGroup"));
    }

    @Test
    void createSnapshotRefusesAVolumeThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.bootstrapped());
        String theirs = f.aws.as("someone", () -> f.aws.ec2().createVolume(r -> r
                .availabilityZone(SimAws.HOME_REGION + "a").size(8)).volumeId());
        f.aws.clock().advance(f.aws.timings().volumeCreating);
        resources.put(Resources.TARGET_VOLUME_ID, theirs);
        Expect.named(ErrorName.InvalidInput, "resources.targetVolumeId: " + theirs + " is not a resource of build "
                        + Fixture.BUILD_ID + " (it carries no funtoo-ami-builder:build-id tag)",
                () -> new CreateSnapshotHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "CreateSnapshot"));
    }

    @Test
    void registerImageRefusesASnapshotThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.snapshotCompleted());
        String theirs = foreignSnapshot(f);
        resources.put(Resources.SNAPSHOT_ID, theirs);
        Expect.named(ErrorName.InvalidInput, "resources.snapshotId: " + theirs + " (owner " + SimAws.ACCOUNT_ID
                        + ") is not a resource of build",
                () -> new RegisterImageHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "RegisterImage"));
    }

    @Test
    void publishParameterRefusesAnImageThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.smokeTested());
        String theirs = Images.registerForeign(f.aws, "someone-elses-image");
        f.aws.calls().clear();
        resources.put(Resources.IMAGE_ID, theirs);
        Expect.named(ErrorName.InvalidInput, "resources.imageId: " + theirs + " in us-east-1 (owner ",
                () -> new PublishParameterHandler(f.deps()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ssm", "PutParameter"));
    }

    @Test
    void notifySuccessRefusesToAnnounceAnImageThatIsNotItsBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.smokeTested());
        String theirs = Images.registerForeign(f.aws, "someone-elses-image");
        f.aws.calls().clear();
        resources.put(Resources.IMAGE_ID, theirs);
        String topicArn = f.aws.sns().createTopic(r -> r.name("builds")).topicArn();
        Expect.named(ErrorName.InvalidInput, "resources.imageId: " + theirs + " in us-east-1 (owner ",
                () -> new NotifySuccessHandler(f.deps(Env.NOTIFICATION_TOPIC_ARN, topicArn))
                        .handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("events", "PutEvents"));
        assertEquals(0, f.calls("sns", "Publish"));
    }

    @Test
    void smokeTestChecksRefuseToReadTheConsoleOfAnInstanceThatIsNotTheirBuilds() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.testInstanceLaunched());
        String other = someoneElsesInstance(f, (String) resources.get(Resources.SUBNET_ID));
        resources.put(Resources.TEST_INSTANCE_ID, other);
        f.aws.clock().advance(f.aws.timings().instancePending);
        Expect.named(ErrorName.InvalidInput, "resources.testInstanceId: " + other + " is not a resource of build",
                () -> new CheckTestInstanceStatusHandler(f.deps())
                        .handleRequest(f.check(resources, Map.of(), "WaitForTestInstanceStatus"), null));
        Expect.named(ErrorName.InvalidInput, "resources.testInstanceId: " + other + " is not a resource of build",
                () -> new CheckFirstBootMarkerHandler(f.deps())
                        .handleRequest(f.check(resources, Map.of(), "WaitForFirstBootMarker"), null));
        assertEquals(0, f.calls("ec2", "GetConsoleOutput"));
    }

    /**
     * Every cleanup function, invoked directly with a build id of the caller's choosing and the resource ids of
     * another build (all managed, so IAM allows deleting them): nothing of that build changes.
     */
    @TestFactory
    Stream<DynamicTest> cleanupLeavesAnotherBuildsResourcesNamedInItsInputAlone() {
        Map<String, BiFunction<Fixture, Map<String, Object>, Map<String, Object>>> cleanups = new LinkedHashMap<>();
        cleanups.put("TerminateInstances", (f, doc) -> new TerminateInstancesHandler(f.deps()).handleRequest(doc, null));
        cleanups.put("TerminateTestInstance", (f, doc) -> new TerminateTestInstanceHandler(f.deps())
                .handleRequest(doc, null));
        cleanups.put("DeleteVolumes", (f, doc) -> new DeleteVolumesHandler(f.deps()).handleRequest(doc, null));
        cleanups.put("DeleteSecurityGroup", (f, doc) -> new DeleteSecurityGroupHandler(f.deps())
                .handleRequest(doc, null));
        cleanups.put("DeleteInternetGateway", (f, doc) -> new DeleteInternetGatewayHandler(f.deps())
                .handleRequest(doc, null));
        cleanups.put("DeleteSubnet", (f, doc) -> new DeleteSubnetHandler(f.deps()).handleRequest(doc, null));
        cleanups.put("DeleteRouteTable", (f, doc) -> new DeleteRouteTableHandler(f.deps()).handleRequest(doc, null));
        cleanups.put("DeleteVpc", (f, doc) -> new DeleteVpcHandler(f.deps()).handleRequest(doc, null));
        cleanups.put("DeleteFailedImage", (f, doc) -> new DeleteFailedImageHandler(f.deps()).handleRequest(doc, null));
        cleanups.put("DeleteFailedImageCopies", (f, doc) -> new DeleteFailedImageCopiesHandler(f.deps()).handleRequest(doc, null));
        return cleanups.entrySet().stream().map(cleanup -> DynamicTest.dynamicTest(cleanup.getKey(), () -> {
            Fixture f = new Fixture("{\"publish\":{\"copyToRegions\":[\"eu-west-1\"]}}");
            Map<String, Object> resources = new LinkedHashMap<>(f.copiesAvailable());
            assertEquals("running", f.inventory().stream().filter(r -> r.id().equals(resources.get(
                    Resources.INSTANCE_ID))).findFirst().orElseThrow().state(), "the helper is still there");
            List<SimResource> before = f.inventory();
            Map<String, Object> doc = f.doc(resources);
            Map<String, Object> config = new LinkedHashMap<>(f.config());
            config.put("buildId", "someone-elses-build");
            doc.put("config", config);
            cleanup.getValue().apply(f, doc);
            assertEquals(before, f.inventory(), cleanup.getKey() + " changed build " + Fixture.BUILD_ID);
        }));
    }

    /** A completed snapshot of a volume someone else made, without the builder's tags. */
    private static String foreignSnapshot(Fixture f) {
        String volumeId = f.aws.as("someone", () -> f.aws.ec2().createVolume(r -> r
                .availabilityZone(SimAws.HOME_REGION + "a").size(8)).volumeId());
        f.aws.clock().advance(f.aws.timings().volumeCreating);
        String snapshotId = f.aws.as("someone", () -> f.aws.ec2().createSnapshot(r -> r.volumeId(volumeId))
                .snapshotId());
        f.aws.clock().advance(f.aws.timings().snapshot.plusSeconds(1));
        f.aws.calls().clear();
        return snapshotId;
    }

    /** An instance in the build's subnet that someone else launched, without the builder's tags. */
    private static String someoneElsesInstance(Fixture f, String subnetId) {
        // an account with room for a third instance beside the build's two (the default quota is 5 vCPUs)
        f.aws.quotas().set(org.funtoo.amibuilder.sim.SimQuotas.Quota.STANDARD_ON_DEMAND_VCPUS, 16);
        String id = f.aws.as("someone", () -> f.aws.ec2().runInstances(r -> r.imageId(SimAws.AL2023_X86_64_IMAGE_ID)
                .instanceType("t3.micro").minCount(1).maxCount(1).subnetId(subnetId)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)))).instances().get(0).instanceId();
        f.aws.calls().clear();
        return id;
    }
}
