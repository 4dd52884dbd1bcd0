package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.sim.CommandOutcome;
import org.funtoo.amibuilder.sim.CommandScript;
import org.funtoo.amibuilder.sim.SimAws;
import org.funtoo.amibuilder.sim.SimResource;
import org.funtoo.amibuilder.sim.SimTimings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Route;

/**
 * The whole build, offline: the synthesized state machines run by an independent ASL interpreter, their
 * tasks by the real handlers against the simulated AWS. Every scenario ends by asserting what is left in the account,
 * and (after each) that every call a function made is allowed by its IAM policy in the template.
 */
class BuildWorkflowEndToEndTest {
    private static final String COPIES_TO_TWO_REGIONS =
            "{\"publish\": {\"copyToRegions\": [\"eu-west-1\", \"ap-southeast-2\"]}}";
    private OfflineBuild account = new OfflineBuild(SimTimings.realistic());

    @AfterEach
    void everyCallWasAllowedByTheCallersPolicy(org.junit.jupiter.api.TestInfo test) {
        try {
            account.assertEveryCallAllowed(test.getDisplayName());
        } finally {
            account.close();
        }
    }

    @AfterAll
    static void reportPermissionsNeverUsed() {
        OfflineBuild.reportPermissionsNeverUsed();
    }

    private void useAccount(SimTimings timings) {
        account.close();
        account = new OfflineBuild(timings);
    }

    @Test
    void emptyInputBuildsInATemporaryNetworkAndLeavesOnlyTheImageItsSnapshotAndItsParameter() {
        LocalExecution.Result r = account.build("build-empty", "{}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        String imageId = r.output().path("imageId").asText();
        assertTrue(imageId.startsWith("ami-"), r.output().toString());
        assertEquals(List.of("image", "snapshot", "ssm-parameter"), account.leftoverTypes("build-empty"),
                "what a build delivers: the tested image and the parameter naming it");
        assertEquals(imageId, account.leftovers("build-empty").stream()
                .filter(x -> x.type().equals("image")).findFirst().orElseThrow().id());
        assertEquals(r.output().path("snapshotId").asText(), account.leftovers("build-empty").stream()
                .filter(x -> x.type().equals("snapshot")).findFirst().orElseThrow().id());
        assertEquals("funtoo", r.output().path("distribution").asText());
        assertEquals("x86_64", r.output().path("architecture").asText());
        assertTrue(r.output().path("stage3").path("sha256").asText().matches("[0-9a-f]{64}"), r.output().toString());
        assertTrue(r.output().path("buildSeconds").asLong() > 20 * 60, () -> "the simulated build takes its realistic time: " + r.output());
    }

    @Test
    void givenSubnetAndGroupAreUsedAndLeftExactlyAsTheyWere() {
        Ec2Client ec2 = account.aws.ec2();
        ExistingNetwork network = ExistingNetwork.create(ec2);
        String table = network.routeTableId();
        List<Route> routesBefore = ec2.describeRouteTables(b -> b.routeTableIds(table)).routeTables().get(0).routes();
        List<SimResource> before = account.aws.inventory();

        LocalExecution.Result r = account.build("build-existing", network.asInput());

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        assertFalse(r.statesEntered().contains("CreateVpc"), "no temporary network for a given one");
        assertEquals(List.of("image", "snapshot", "ssm-parameter"), account.leftoverTypes("build-existing"));
        List<SimResource> after = account.aws.inventory().stream()
                .filter(x -> !"build-existing".equals(x.tag(SimResourcesTags.BUILD_ID))).toList();
        assertEquals(before, after, "the caller's network is untouched");
        assertEquals(routesBefore, ec2.describeRouteTables(b -> b.routeTableIds(table)).routeTables().get(0).routes());
    }

    @Test
    void failedBootstrapEndsWithBootstrapFailedAndItsReasonAndLeavesNothing() {
        account.aws.ssm().scriptCommands(CommandScript.inOrder(
                CommandOutcome.bootstrapFails("stage3 sha256 mismatch: expected 1f2e, got 9a8b")));

        LocalExecution.Result r = account.build("build-bootfail", "{}");

        assertEquals("FAILED", r.status());
        assertEquals("BootstrapFailed", r.error());
        assertTrue(r.cause().contains("stage3 sha256 mismatch: expected 1f2e, got 9a8b"), r.cause());
        assertEquals(List.of(), account.leftovers("build-bootfail"));
        assertTrue(r.statesEntered().contains("DeleteFailedImage"));
    }

    /** Several storms, among them seeds that broke the build before the SDK's own retry was modelled. */
    @ParameterizedTest(name = "storm seed {0}")
    @ValueSource(longs = {7, 11, 2026})
    void throttlingOnThirtyPercentOfCallsIsAbsorbedByRetries(long seed) {
        account.aws.faults().seed(seed)
                .failFraction(Set.of("ec2"), 0.3, List.of("RequestLimitExceeded"))
                .failFraction(Set.of("ssm"), 0.3, List.of("ThrottlingException"));

        LocalExecution.Result r = account.build("build-throttled", "{}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        assertEquals(List.of("image", "snapshot", "ssm-parameter"), account.leftoverTypes("build-throttled"));
        assertTrue(account.aws.faults().injectedCount() > 20, "the storm really happened");
        System.out.printf("throttling storm (seed %d): %d of %d EC2/SSM calls throttled, %d Task retries by the state"
                        + " machine, %s of simulated retry pauses%n", seed, account.aws.faults().injectedCount(),
                account.aws.calls().matching(c -> !c.caller().equals("test")
                        && (c.service().equals("ec2") || c.service().equals("ssm"))).size(),
                r.retries(), account.host.retried());
    }

    @Test
    void snapshotThatNeverCompletesEndsWithSnapshotTimeoutAndLeavesNothing() {
        SimTimings stuck = SimTimings.realistic();
        stuck.snapshot = null;
        useAccount(stuck);

        LocalExecution.Result r = account.build("build-stuck-snapshot", "{}");

        assertEquals("FAILED", r.status());
        assertEquals("SnapshotTimeout", r.error());
        assertEquals(List.of(), account.leftovers("build-stuck-snapshot"));
    }

    @Test
    void agentThatNeverComesOnlineEndsWithSsmAgentTimeoutAndLeavesNothing() {
        SimTimings noAgent = SimTimings.realistic();
        noAgent.ssmAgentOnline = null;
        useAccount(noAgent);

        LocalExecution.Result r = account.build("build-no-agent", "{}");

        assertEquals("FAILED", r.status());
        assertEquals("SsmAgentTimeout", r.error());
        assertEquals(List.of(), account.leftovers("build-no-agent"));
    }

    @Test
    void abortedBuildIsCleanedUpByTheJanitorsCleanupStateMachine() {
        LocalExecution.Result aborted = account.build("build-aborted", "{}", "SendBootstrapCommand");

        assertEquals("ABORTED", aborted.status());
        assertTrue(account.leftoverTypes("build-aborted").containsAll(List.of("instance", "vpc", "subnet")),
                "the catch path never ran: " + account.leftovers("build-aborted"));

        LocalExecution.Result cleanup = account.cleanup("build-aborted");

        assertEquals("SUCCEEDED", cleanup.status(), () -> cleanup.error() + ": " + cleanup.cause());
        assertEquals(List.of(), account.leftovers("build-aborted"));
    }

    @Test
    void copiesOfABuildAbortedAfterCopyImageAreDeletedByTheJanitorInEveryRegion() {
        LocalExecution.Result aborted = account.build("build-aborted-copying", COPIES_TO_TWO_REGIONS, "CopyImage");

        assertEquals("ABORTED", aborted.status());
        assertEquals(List.of("ap-southeast-2/image", "ap-southeast-2/snapshot", "eu-west-1/image",
                "eu-west-1/snapshot"), copiesLeft("build-aborted-copying"), "the copies were requested");

        LocalExecution.Result cleanup = account.cleanup("build-aborted-copying");

        assertEquals("SUCCEEDED", cleanup.status(), () -> cleanup.error() + ": " + cleanup.cause());
        assertTrue(cleanup.statesEntered().contains("DeleteFailedImageCopies"), cleanup.statesEntered().toString());
        assertEquals(List.of(), account.leftovers("build-aborted-copying"), "in every region");
    }

    @Test
    void copiesLeftByAJanitorCleanupThatFailedAreFoundByTheDailySweep() {
        LocalExecution.Result delivered = account.build("build-copied", COPIES_TO_TWO_REGIONS);
        assertEquals("SUCCEEDED", delivered.status(), () -> delivered.error() + ": " + delivered.cause());
        account.build("build-aborted-copying", COPIES_TO_TWO_REGIONS, "CopyImage");
        account.host.failState("DeleteFailedImageCopies",
                new HandlerHost.InjectedFailure("InjectedFailure", "copies not deleted"));
        assertEquals("FAILED", account.cleanup("build-aborted-copying").status());
        account.host.failState("DeleteFailedImageCopies", null);
        assertEquals(List.of("ap-southeast-2/image", "ap-southeast-2/snapshot", "eu-west-1/image",
                "eu-west-1/snapshot"), account.leftovers("build-aborted-copying").stream()
                .map(r -> r.region() + "/" + r.type()).sorted().toList(), "only the copies are left");

        java.util.Map<String, Object> sweep = account.sweep();

        assertEquals(List.of("build-aborted-copying"), sweep.get("buildIds"), sweep.toString());
        assertEquals(List.of(), account.leftovers("build-aborted-copying"));
        assertEquals(List.of("ap-southeast-2/image", "ap-southeast-2/snapshot", "ap-southeast-2/ssm-parameter",
                "eu-west-1/image", "eu-west-1/snapshot", "eu-west-1/ssm-parameter"), copiesLeft("build-copied"),
                "a delivered build's copies are its product");
    }

    @Test
    void crashedBuildIsFoundByTheDailySweepWhileADeliveredImageIsLeftAlone() {
        LocalExecution.Result delivered = account.build("build-delivered", "{}");
        assertEquals("SUCCEEDED", delivered.status(), () -> delivered.error() + ": " + delivered.cause());
        LocalExecution.Result aborted = account.build("build-crashed", "{}", "CreateSnapshot");
        assertEquals("ABORTED", aborted.status());
        assertTrue(account.leftoverTypes("build-crashed").contains("snapshot"), account.leftovers("build-crashed").toString());

        java.util.Map<String, Object> sweep = account.sweep();

        assertEquals(List.of("build-crashed"), sweep.get("buildIds"), sweep.toString());
        assertEquals(List.of(), account.leftovers("build-crashed"));
        assertEquals(List.of("image", "snapshot", "ssm-parameter"), account.leftoverTypes("build-delivered"));
        assertEquals(0, ((Number) account.sweep().get("cleanupsStarted")).intValue(), "nothing left to sweep");
    }

    /** The build's resources outside its own region, as {@code region/type}. */
    private List<String> copiesLeft(String buildId) {
        return account.leftovers(buildId).stream().filter(r -> !r.region().equals(SimAws.HOME_REGION))
                .map(r -> r.region() + "/" + r.type()).sorted().toList();
    }

    @Test
    void keepResourcesLeavesEverythingOfAFailedBuildForDebugging() {
        account.aws.ssm().scriptCommands(CommandScript.inOrder(CommandOutcome.bootstrapFails("emerge failed")));

        LocalExecution.Result r = account.build("build-keep", "{\"keepResources\": true}");

        assertEquals("FAILED", r.status());
        assertEquals("BootstrapFailed", r.error());
        assertFalse(r.statesEntered().contains("TerminateInstances"));
        assertTrue(account.leftoverTypes("build-keep").containsAll(List.of("instance", "internet-gateway",
                "route-table", "security-group", "subnet", "volume", "vpc")), account.leftovers("build-keep").toString());
        List<org.funtoo.amibuilder.sim.SimResource> kept = account.leftovers("build-keep");

        // the janitor's rule fires for every FAILED build: it must not undo keepResources
        LocalExecution.Result janitor = account.cleanup("build-keep");

        assertEquals("SUCCEEDED", janitor.status(), () -> janitor.error() + ": " + janitor.cause());
        assertTrue(janitor.statesEntered().contains("ResourcesKeptOnRequest"), janitor.statesEntered().toString());
        assertEquals(kept, account.leftovers("build-keep"));
    }

    @Test
    void invalidInputFailsAtTheFirstStateWithoutAnyAwsCall() {
        LocalExecution.Result r = account.build("build-invalid", "{\"architecture\": \"sparc\"}");

        assertEquals("FAILED", r.status());
        assertEquals("InvalidInput", r.error());
        assertTrue(r.cause().contains("architecture"), r.cause());
        // the first state, then straight to the Fail state that shows the short name
        assertEquals(List.of("ValidateInput", ErrorName.InvalidInput.name()), r.statesEntered());
        assertEquals(List.of(), account.aws.calls().matching(c -> !c.caller().equals("test")),
                "no function may call AWS for an invalid input");
    }

    @Test
    void buildOverAQuotaThatNeverFreesWaitsUntilItsDeadlineThenFailsWithAwsNotReadyAndLeavesNothing() {
        account.aws.quotas().set(org.funtoo.amibuilder.sim.SimQuotas.Quota.VPCS, 1);
        account.aws.ec2().createVpc(b -> b.cidrBlock("172.16.0.0/16")); // someone else's VPC takes the only one

        LocalExecution.Result r = account.build("build-no-vpc", "{}");

        assertEquals("FAILED", r.status());
        assertEquals("AwsNotReady", r.error());
        assertTrue(r.cause().contains("CreateVpcHandler: VpcLimitExceeded"), r.cause());
        java.time.Duration waited = r.retryPausesFor(ErrorName.AwsNotReady.errorType());
        assertTrue(waited.compareTo(java.time.Duration.ofHours(3)) >= 0
                && waited.compareTo(java.time.Duration.ofHours(3).plusMinutes(5)) < 0,
                () -> "waited until the deadline, not longer: " + waited);
        assertEquals(List.of(), account.leftovers("build-no-vpc"));
    }

    @Test
    void helperImageOfAnOwnerTheStackDoesNotAllowFailsBeforeAnythingIsCreated() {
        String community = account.aws.ec2().publicImageOf("999988887777", "x86_64");
        LocalExecution.Result r = account.build("build-community-helper",
                "{\"helper\": {\"imageId\": \"" + community + "\"}}");

        assertEquals("FAILED", r.status());
        assertEquals("InvalidInput", r.error(), r.cause());
        assertTrue(r.cause().contains("helper.imageId: " + community + " is owned by 999988887777"), r.cause());
        assertFalse(r.statesEntered().contains("CreateVpc"), r.statesEntered().toString());
        assertEquals(List.of(), account.aws.calls().matching(c -> !c.caller().equals("test")).stream()
                        .map(c -> c.operation()).filter(op -> !op.matches("(Describe|Get|List).*|PutEvents|Publish"))
                        .toList(), "nothing created or changed, only looked up (and the failure announced)");
        assertEquals(List.of(), account.leftovers("build-community-helper"));
    }

    @Test
    void noFunctionPolicyAllowsAWildcardAction() {
        assertEquals(List.of(), OfflineBuild.wildcardActions());
    }
}
