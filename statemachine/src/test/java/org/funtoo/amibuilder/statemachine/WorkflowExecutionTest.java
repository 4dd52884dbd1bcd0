package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.junit.jupiter.api.Test;

/**
 * The synthesized definitions executed by aws-local-stepfunctions with scripted Task answers: the error handling
 * the structure tests describe, observed. (Running the real handlers against the simulated AWS is the job of the
 * end-to-end tests.)
 */
class WorkflowExecutionTest {
    private static final String AWS_TRANSIENT = Retries.AWS_TRANSIENT;
    private static final String AWS_NOT_READY = Retries.AWS_NOT_READY;
    private static final List<String> TEARDOWN = List.of("TerminateInstances", "CheckInstancesTerminated",
            "DeleteVolumes", "DeleteSecurityGroup", "DeleteInternetGateway", "DeleteSubnet", "DeleteRouteTable",
            "DeleteVpc");
    private static final List<String> SMOKE_TEST = List.of("LaunchTestInstance", "CheckTestInstanceStatus",
            "CheckFirstBootMarker", "TerminateTestInstance", "CheckTestInstanceTerminated");

    private final String build = SynthesizedWorkflow.get().build.text;
    private final String cleanup = SynthesizedWorkflow.get().cleanup.text;

    @Test
    void aFailedBootstrapTearsEverythingDownAndEndsWithTheHandlersErrorAndCause() {
        LocalRun.Execution execution = new LocalRun()
                .fails("SendBootstrapCommand", ErrorName.BootstrapFailed, "stage3 sha256 mismatch")
                .run(build);
        assertEquals("FAILED", execution.status());
        assertEquals("BootstrapFailed", execution.error(), "the handler's error name ends the execution");
        assertEquals("stage3 sha256 mismatch", execution.cause());
        assertEquals(failureEnd(), execution.tasksAfter("SendBootstrapCommand"));
    }

    @Test
    void aSnapshotStuckPastItsDeadlineEndsWithSnapshotTimeoutAfterTheTeardown() {
        LocalRun.Execution execution = new LocalRun()
                .neverDone("CheckSnapshotCompleted", "WaitForSnapshot")
                .run(build);
        assertEquals("SnapshotTimeout", execution.error(), execution.cause());
        assertTrue(execution.cause().startsWith("WaitForSnapshot: not done within 7200 s"), execution.cause());
        assertEquals(2, execution.calls("CheckSnapshotCompleted"), "checked, waited, checked");
        assertFalse(execution.tasks().contains("RegisterImage"));
        assertEquals(failureEnd(), execution.tasksAfter("CheckSnapshotCompleted").subList(1, 1 + failureEnd().size()));
    }

    @Test
    void aSuccessfulBuildTearsDownAllButItsImageAndOutputsTheSummary() {
        LocalRun.Execution execution = new LocalRun()
                .answers("RegisterImage", Map.of("addResources", Map.of("imageId", "ami-0123456789abcdef0")))
                .run(build);
        assertEquals("SUCCEEDED", execution.status());
        assertEquals("ami-0123456789abcdef0", execution.output().path("imageId").asText());
        List<String> after = new java.util.ArrayList<>(List.of(BuildWorkflow.RELEASE_HELPER));
        after.addAll(SMOKE_TEST);
        after.add("PublishParameter");
        after.addAll(TEARDOWN);
        after.addAll(List.of("NotifySuccess", "SummarizeBuild"));
        assertEquals(after, execution.tasksAfter("CheckImageAvailable"));
    }

    @Test
    void keepResourcesLeavesEverythingInPlaceButStillReportsTheFailure() {
        LocalRun.Execution execution = new LocalRun()
                .input("keepResources", true)
                .fails("CreateSnapshot", ErrorName.SnapshotFailed, "snapshot went to error")
                .run(build);
        assertEquals("SnapshotFailed", execution.error());
        assertEquals(List.of("NotifyFailure"), execution.tasksAfter("CreateSnapshot"));
    }

    @Test
    void aCleanupStepThatKeepsFailingIsRetriedThenSkippedAndTheBuildEndsWithCleanupFailed() {
        LocalRun.Execution execution = new LocalRun()
                .fails("DeleteSubnet", AWS_NOT_READY, "DependencyViolation: subnet has dependencies")
                .run(build);
        assertEquals("FAILED", execution.status());
        assertEquals("CleanupFailed", execution.error());
        assertTrue(execution.cause().contains("DeleteSubnet"), execution.cause());
        assertEquals(1 + Retries.NOT_READY_MAX_ATTEMPTS, execution.calls("DeleteSubnet"));
        assertEquals(List.of("DeleteRouteTable", "DeleteVpc", "NotifyFailure"), execution.tasksAfter("DeleteSubnet")
                .stream()
                .filter(task -> !task.equals("DeleteSubnet")).toList(), "the rest of the teardown still runs");
        assertFalse(execution.tasks().contains("SummarizeBuild"));
    }

    @Test
    void instancesThatDoNotTerminateInTimeDoNotStopTheTeardown() {
        LocalRun.Execution execution = new LocalRun()
                .neverDone("CheckInstancesTerminated", "WaitForInstancesTerminated")
                .run(build);
        assertEquals("CleanupFailed", execution.error());
        assertTrue(execution.cause().contains("TerminationTimeout"), execution.cause());
        List<String> rest = new java.util.ArrayList<>(TEARDOWN.subList(2, TEARDOWN.size()));
        rest.add("NotifyFailure");
        assertEquals(rest, execution.tasksAfter("CheckInstancesTerminated")
                .stream().filter(task -> !task.equals("CheckInstancesTerminated")).toList());
    }

    @Test
    void throttledCallsAreRetriedAndTheBuildGoesOn() {
        LocalRun.Execution execution = new LocalRun()
                .fails("CreateVpc", AWS_TRANSIENT, "RequestLimitExceeded")
                .fails("CreateVpc", "Lambda.TooManyRequestsException", "Rate exceeded")
                .answers("CreateVpc", Map.of("addResources", Map.of("vpcId", "vpc-1")))
                .run(build);
        assertEquals("SUCCEEDED", execution.status());
        assertEquals(3, execution.calls("CreateVpc"));
    }

    @Test
    void namedErrorsAreNotRetried() {
        LocalRun.Execution execution = new LocalRun()
                .fails("CheckImageName", ErrorName.PreflightFailed, "an AMI named funtoo-next already exists")
                .run(build);
        assertEquals("PreflightFailed", execution.error());
        assertEquals(1, execution.calls("CheckImageName"));
    }

    @Test
    void anInvalidInputFailsAtOnceWithNothingToTearDown() {
        LocalRun.Execution execution = new LocalRun()
                .fails("ValidateInput", ErrorName.InvalidInput, "architecture must be x86_64 or arm64")
                .run(build);
        assertEquals("InvalidInput", execution.error());
        assertEquals(List.of("ValidateInput"), execution.tasks());
    }

    @Test
    void anInputTheRealFirstStateRefusesFailsAtOnceWithItsMessage() {
        LocalRun.Execution execution = new LocalRun()
                .input("architecture", "sparc")
                .input("smokeTest", Map.of("enabled", "no"))
                .run(build);
        assertEquals("InvalidInput", execution.error());
        assertEquals("Invalid build input (2 problems): architecture: must be one of x86_64, arm64 (got \"sparc\");"
                + " smokeTest.enabled: must be true or false (got a string)", execution.cause());
        assertEquals(List.of("ValidateInput"), execution.tasks());
    }

    /**
     * The local runs' first state is the real ValidateInputHandler (LocalRun), so the harness must hold no copy
     * of what it fills in: none of the sections of config as an object key, none of the defaults as a string.
     */
    @Test
    void theHarnessKeepsNoCopyOfTheInputsDefaults() throws java.io.IOException {
        String harness;
        try (var in = LocalRun.class.getResourceAsStream("/run-workflow.cjs")) {
            harness = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = new java.util.LinkedHashMap<>((Map<String, Object>) ((Map<String, Object>)
                LocalRun.validated(Map.of()).get("result")).get("config"));
        List<String> copies = new java.util.ArrayList<>();
        List.of("buildId", "region", "startedAt").forEach(config::remove); // the execution's, not the input's
        config.forEach((section, value) -> {
            if (java.util.regex.Pattern.compile("(^|[{,\\s])['\"]?" + section + "['\"]?\\s*:",
                    java.util.regex.Pattern.MULTILINE).matcher(harness).find()) {
                copies.add(section + ":");
            }
        });
        java.util.function.Consumer<Object>[] leaves = new java.util.function.Consumer[1];
        leaves[0] = v -> {
            if (v instanceof Map<?, ?> m) {
                m.values().forEach(leaves[0]);
            } else if (v instanceof String text && (harness.contains("'" + text + "'")
                    || harness.contains("\"" + text + "\""))) {
                copies.add(text);
            }
        };
        config.values().forEach(leaves[0]);
        assertEquals(List.of(), copies, "run-workflow.cjs copies the first state's defaults");
    }

    @Test
    void aFailedSmokeTestTearsDownDeletesTheImageAndPublishesNothing() {
        LocalRun.Execution execution = new LocalRun()
                .fails("CheckFirstBootMarker", ErrorName.SmokeTestFailed,
                        "no first-boot marker; last console lines: ...")
                .run(build);
        assertEquals("SmokeTestFailed", execution.error());
        assertEquals("no first-boot marker; last console lines: ...", execution.cause());
        assertEquals(failureEnd(), execution.tasksAfter("CheckFirstBootMarker"),
                "TerminateInstances ends the test instance with the helper; the image and its snapshot go");
        assertFalse(execution.tasks().contains("PublishParameter"));
    }

    @Test
    void withTheSmokeTestOffTheImageIsPublishedUntested() {
        LocalRun.Execution execution = new LocalRun()
                .input("smokeTest", Map.of("enabled", false))
                .run(build);
        assertEquals("SUCCEEDED", execution.status());
        assertTrue(execution.tasks().stream().noneMatch(SMOKE_TEST::contains), execution.tasks().toString());
        assertEquals(List.of(BuildWorkflow.RELEASE_HELPER, "PublishParameter"),
                execution.tasksAfter("CheckImageAvailable").subList(0, 2));
    }

    @Test
    void everythingAskedForIsPublishedCopiesFirstParameterLastThenRetention() {
        LocalRun.Execution execution = new LocalRun()
                .input("publish", Map.of("copyToRegions", List.of("eu-west-1"),
                        "launchPermissionAccountIds", List.of("210987654321"), "deprecateAfterDays", 30,
                        "keepLatest", 3))
                .run(build);
        assertEquals("SUCCEEDED", execution.status());
        assertEquals(List.of("CopyImage", "CheckImageCopies", "ShareImage", "DeprecateImage", "PublishParameter",
                "ApplyRetention", "TerminateInstances"), execution.tasksAfter("CheckTestInstanceTerminated")
                .subList(0, 7));
    }

    @Test
    void aFailedPublishStepDeletesTheImageAndItsCopiesAndLeavesTheParameterAlone() {
        LocalRun.Execution execution = new LocalRun()
                .input("publish", Map.of("copyToRegions", List.of("eu-west-1"), "public", true))
                .fails("ShareImage", ErrorName.PublishFailed, "cannot share ami-1 in eu-west-1")
                .run(build);
        assertEquals("PublishFailed", execution.error());
        assertEquals(failureEnd(), execution.tasksAfter("ShareImage"));
        assertFalse(execution.tasks().contains("PublishParameter"));
    }

    @Test
    void aRetentionThatKeepsFailingDoesNotUndoThePublishedBuild() {
        LocalRun.Execution execution = new LocalRun()
                .input("publish", Map.of("keepLatest", 1))
                .fails("ApplyRetention", AWS_TRANSIENT, "RequestLimitExceeded")
                .run(build);
        assertEquals("SUCCEEDED", execution.status());
        assertEquals(1 + Retries.AWS_MAX_ATTEMPTS, execution.calls("ApplyRetention"));
        assertFalse(execution.tasks().contains("DeleteFailedImage"));
        assertTrue(execution.tasks().contains("NotifySuccess"));
    }

    @Test
    void anUndeliverableNotificationChangesNeitherTheErrorNorTheOutcome() {
        LocalRun.Execution failed = new LocalRun()
                .fails("SendBootstrapCommand", ErrorName.BootstrapFailed, "stage3 sha256 mismatch")
                .fails("NotifyFailure", "software.amazon.awssdk.services.sns.model.NotFoundException", "no topic")
                .run(build);
        assertEquals("BootstrapFailed", failed.error());
        assertEquals("stage3 sha256 mismatch", failed.cause());
        LocalRun.Execution succeeded = new LocalRun()
                .fails("NotifySuccess", "software.amazon.awssdk.services.sns.model.NotFoundException", "no topic")
                .run(build);
        assertEquals("SUCCEEDED", succeeded.status());
        assertTrue(succeeded.tasks().contains("SummarizeBuild"));
    }

    @Test
    void theJanitorKeepsTheImageOfABuildThatDeliveredIt() {
        for (Map<String, Object> delivered : List.<Map<String, Object>>of(Map.of("Status", "SUCCEEDED"),
                Map.of("Status", "FAILED", "Error", "CleanupFailed"))) {
            LocalRun.Execution execution = new LocalRun()
                    .input("buildId", "build-7")
                    .answers("DescribeBuildExecution", Map.of("result", delivered))
                    .run(cleanup);
            assertEquals("SUCCEEDED", execution.status(), delivered.toString());
            assertEquals(TEARDOWN, execution.tasksAfter("DescribeBuildExecution"), delivered.toString());
        }
    }

    @Test
    void theJanitorDeletesTheImageOfABuildThatEndedWithoutDeliveringIt() {
        for (String status : List.of("ABORTED", "TIMED_OUT", "FAILED")) {
            LocalRun.Execution execution = new LocalRun()
                    .input("buildId", "build-7")
                    .answers("DescribeBuildExecution", Map.of("result", Map.of("Status", status)))
                    .run(cleanup);
            assertEquals("SUCCEEDED", execution.status(), status);
            assertEquals(withImageDeletion(), execution.tasksAfter("DescribeBuildExecution"), status);
        }
    }

    @Test
    void theJanitorLeavesARunningBuildAlone() {
        LocalRun.Execution execution = new LocalRun()
                .input("buildId", "build-7")
                .answers("DescribeBuildExecution", Map.of("result", Map.of("Status", "RUNNING")))
                .run(cleanup);
        assertEquals("BuildStillRunning", execution.error());
        assertEquals(List.of("DescribeBuildExecution"), execution.tasks());
    }

    private static List<String> withImageDeletion() {
        List<String> tasks = new java.util.ArrayList<>(TEARDOWN);
        tasks.addAll(List.of("DeleteFailedImage", "DeleteFailedImageCopies"));
        return tasks;
    }

    /** What a failed build runs after its error: the teardown with the image's deletion, then the announcement. */
    private static List<String> failureEnd() {
        List<String> tasks = withImageDeletion();
        tasks.add("NotifyFailure");
        return tasks;
    }
}
