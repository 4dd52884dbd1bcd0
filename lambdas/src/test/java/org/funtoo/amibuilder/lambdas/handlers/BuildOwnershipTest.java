package org.funtoo.amibuilder.lambdas.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.Test;
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
                () -> new LaunchHelperInstanceHandler(f.aws.ec2(), Fixture.PROFILE_ARN, Fixture.HELPER_IMAGE_OWNERS)
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
                () -> new LaunchTestInstanceHandler(f.aws.ec2()).handleRequest(f.doc(resources), null));
        assertEquals(launches, f.calls("ec2", "RunInstances"));
    }

    @Test
    void copyImageRefusesAnImageThatIsNotItsBuilds() {
        Fixture f = new Fixture(CopyImageHandlerTest.TWO_REGIONS);
        Map<String, Object> resources = new LinkedHashMap<>(f.smokeTested());
        resources.put(Resources.IMAGE_ID, SimAws.AL2023_X86_64_IMAGE_ID);
        Expect.named(ErrorName.InvalidInput, SimAws.AL2023_X86_64_IMAGE_ID + " in us-east-1 (owner ",
                () -> new CopyImageHandler(f.aws::ec2).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "CopyImage"));
    }

    @Test
    void shareImageRefusesAnImageThatIsNotItsBuilds() {
        Fixture f = new Fixture("{\"publish\":{\"launchPermissionAccountIds\":[\"" + OTHER_ACCOUNT + "\"]}}");
        String own = f.aws.ec2().publicImageOf(SimAws.ACCOUNT_ID, "x86_64");
        Map<String, Object> resources = new LinkedHashMap<>(f.smokeTested());
        resources.put(Resources.IMAGE_ID, own);
        Expect.named(ErrorName.InvalidInput, "resources.imageId: " + own,
                () -> new ShareImageHandler(f.aws::ec2).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "ModifyImageAttribute"));
    }

    @Test
    void deprecateImageRefusesACopyThatIsNotItsBuilds() {
        Fixture f = new Fixture("{\"publish\":{\"copyToRegions\":[\"eu-west-1\"],\"deprecateAfterDays\":30}}");
        Map<String, Object> resources = new LinkedHashMap<>(f.copiesAvailable());
        String foreign = f.aws.ec2("eu-west-1").publicImageOf(SimAws.ACCOUNT_ID, "x86_64");
        resources.put(Resources.COPIES, Map.of("eu-west-1", foreign));
        Expect.named(ErrorName.InvalidInput, "resources.copies.eu-west-1: " + foreign,
                () -> new DeprecateImageHandler(f.aws::ec2, f.aws.clock()).handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "EnableImageDeprecation"));
    }

    @Test
    void sendBootstrapCommandRefusesAnInstanceThatIsNotItsBuildsHelper() {
        Fixture f = new Fixture();
        Map<String, Object> resources = new LinkedHashMap<>(f.helperOnline());
        String other = someoneElsesInstance(f, (String) resources.get(Resources.SUBNET_ID));
        resources.put(Resources.INSTANCE_ID, other);
        Expect.named(ErrorName.InvalidInput, "resources.instanceId: " + other + " is not a resource of build",
                () -> new SendBootstrapCommandHandler(f.aws.ssm(), f.aws.ec2(), Fixture.DOCUMENT, Fixture.LOG_GROUP,
                        "").handleRequest(f.doc(resources), null));
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
                () -> new GetBootstrapCommandHandler(f.aws.ssm(), f.aws.ec2(), Fixture.DOCUMENT, f.aws.clock())
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
                () -> new GetBootstrapCommandHandler(f.aws.ssm(), f.aws.ec2(), Fixture.DOCUMENT, f.aws.clock())
                        .handleRequest(f.check(resources, Map.of(), "WaitForBootstrap"), null));
        assertEquals(reads, f.calls("ssm", "GetCommandInvocation"));
    }

    /** An instance in the build's subnet that someone else launched, without the builder's tags. */
    private static String someoneElsesInstance(Fixture f, String subnetId) {
        String id = f.aws.as("someone", () -> f.aws.ec2().runInstances(r -> r.imageId(SimAws.AL2023_X86_64_IMAGE_ID)
                .instanceType("t3.micro").minCount(1).maxCount(1).subnetId(subnetId)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED)))).instances().get(0).instanceId();
        f.aws.calls().clear();
        return id;
    }
}
