package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.junit.jupiter.api.Test;

/** The build state machine's states and their order, walked on the synthesized definition. */
class BuildOrderTest {
    private static final List<String> CLEANUP_CHAIN = List.of(
            "BeginCleanup", "TerminateInstances", "CheckInstancesTerminated", "InstancesTerminated?",
            "DeleteVolumes", "DeleteSecurityGroup", "DeleteInternetGateway", "DeleteSubnet", "DeleteRouteTable",
            "DeleteVpc", "FailedBuildImage?");
    /** Every optional step taken: smoke test on, copies, sharing, deprecation and retention asked for. */
    static final Map<String, String> EVERYTHING_REQUESTED = Map.of("NetworkProvided?", "Default",
            "SmokeTestEnabled?", "First", "CopiesRequested?", "First", "SharingRequested?", "First",
            "DeprecationRequested?", "First", "RetentionRequested?", "First", "KeepResources?", "Stop");
    private static final Map<String, String> NOTHING_REQUESTED = Map.of("SmokeTestEnabled?", "Default",
            "CopiesRequested?", "Default", "SharingRequested?", "Default", "DeprecationRequested?", "Default",
            "RetentionRequested?", "Default", "KeepResources?", "Stop");

    private final Asl build = SynthesizedWorkflow.get().build;

    @Test
    void validateIsFirstAndBuildsTheDocumentFromInputExecutionNameAndStartTime() {
        assertEquals("ValidateInput", build.startAt());
        JsonNode validate = build.state("ValidateInput");
        assertEquals("$", validate.at("/Parameters/input.$").asText());
        assertEquals("$$.Execution.Name", validate.at("/Parameters/buildId.$").asText());
        assertEquals("$$.Execution.StartTime", validate.at("/Parameters/startedAt.$").asText());
        // the result replaces the input: no ResultPath means "$"
        assertFalse(validate.has("ResultPath") && !validate.get("ResultPath").asText().equals("$"));
        assertEquals("ResolveHelperImage", validate.get("Next").asText());
        // an invalid input created nothing: no teardown, the execution fails at once, under the short name
        JsonNode catches = validate.get("Catch");
        assertEquals(1, catches.size());
        assertEquals(List.of(ErrorName.InvalidInput.errorType()),
                List.of(catches.get(0).at("/ErrorEquals/0").asText()));
        assertEquals(1, catches.get(0).get("ErrorEquals").size());
        JsonNode end = build.state(catches.get(0).get("Next").asText());
        assertEquals("Fail", end.get("Type").asText(), "an invalid input created nothing: no teardown, the execution fails");
        assertEquals("InvalidInput", end.get("Error").asText());
    }

    @Test
    void imagePathRunsInIssueOrderThroughATemporaryNetwork() {
        assertEquals(List.of(
                        "ResolveHelperImage", "CheckImageName", "NetworkProvided?",
                        "SelectAvailabilityZone", "CreateVpc", "CreateSubnet", "CreateInternetGateway",
                        "CreateRouteTable", "CreateSecurityGroup",
                        "LaunchHelperInstance", "CheckHelperInstanceRunning", "HelperRunning?", "RecordTargetVolume",
                        "CheckSsmAgent", "SsmAgentOnline?",
                        "SendBootstrapCommand", "GetBootstrapCommand", "BootstrapCompleted?",
                        "RecordStage3Url", "RecordStage3Sha256", "RecordBootstrapPhases",
                        "CreateSnapshot", "CheckSnapshotCompleted", "SnapshotCompleted?",
                        "RegisterImage", "CheckImageAvailable", "ImageAvailable?", "ImageReady", "ReleaseHelper",
                        "SmokeTestEnabled?"),
                build.walk("ResolveHelperImage", Map.of("NetworkProvided?", "Default", "SmokeTestEnabled?", "Stop")));
        assertEquals("ReleaseHelper", build.state("ImageReady").get("Next").asText(),
                "the helper's vCPUs are given back before the smoke test asks for a test instance's");
        assertEquals("SmokeTestEnabled?", build.state("ReleaseHelper").get("Next").asText(),
                "the available image is tested before anything is published");
    }

    @Test
    void smokeTestThenPublishingRunInIssueOrderWhenEverythingIsAskedFor() {
        assertEquals(List.of("ImageReady", "ReleaseHelper", "SmokeTestEnabled?",
                        "LaunchTestInstance", "CheckTestInstanceStatus", "TestInstanceHealthy?",
                        "CheckFirstBootMarker", "FirstBootMarkerSeen?",
                        "TerminateTestInstance", "CheckTestInstanceTerminated", "TestInstanceTerminated?",
                        "CopiesRequested?", "CopyImage", "CheckImageCopies", "ImageCopiesAvailable?",
                        "SharingRequested?", "ShareImage", "DeprecationRequested?", "DeprecateImage",
                        "PublishParameter", "RetentionRequested?", "ApplyRetention", "KeepResources?"),
                build.walk("ImageReady", EVERYTHING_REQUESTED));
    }

    @Test
    void withTheSmokeTestOffAndNothingElseAskedForOnlyTheParameterIsPublished() {
        assertEquals(List.of("ImageReady", "ReleaseHelper", "SmokeTestEnabled?", "CopiesRequested?", "SharingRequested?",
                        "DeprecationRequested?", "PublishParameter", "RetentionRequested?", "KeepResources?"),
                build.walk("ImageReady", NOTHING_REQUESTED));
    }

    @Test
    void optionalStepsAreDecidedByTheValidatedConfig() {
        JsonNode smoke = Asl.rule(build.state("SmokeTestEnabled?"), "$.config.smokeTest.enabled");
        assertTrue(smoke.get("BooleanEquals").asBoolean());
        assertTrue(Asl.rule(build.state("CopiesRequested?"), "$.config.publish.copyToRegions[0]")
                .get("IsPresent").asBoolean(), "an empty list of regions copies nothing");
        JsonNode sharing = build.state("SharingRequested?").at("/Choices/0/Or");
        assertEquals("$.config.publish.launchPermissionAccountIds[0]", sharing.at("/0/Variable").asText());
        assertTrue(sharing.at("/0/IsPresent").asBoolean());
        assertEquals("$.config.publish.public", sharing.at("/1/Variable").asText());
        assertTrue(sharing.at("/1/BooleanEquals").asBoolean());
        assertTrue(Asl.rule(build.state("DeprecationRequested?"), "$.config.publish.deprecateAfterDays")
                .get("IsNumeric").asBoolean(), "null when not given");
        assertTrue(Asl.rule(build.state("RetentionRequested?"), "$.config.publish.keepLatest")
                .get("IsNumeric").asBoolean(), "null when not given");
    }

    @Test
    void aFailedSmokeTestOrPublishStepTakesTheCatchAllLikeEveryImageStep() {
        for (String task : List.of("LaunchTestInstance", "CheckTestInstanceStatus", "CheckFirstBootMarker",
                "TerminateTestInstance", "CheckTestInstanceTerminated", "CopyImage", "CheckImageCopies",
                "ShareImage", "DeprecateImage", "PublishParameter")) {
            JsonNode catchAll = build.state(task).at("/Catch/0");
            assertEquals("KeepResources?", catchAll.get("Next").asText(), task);
            assertEquals("$.error", catchAll.get("ResultPath").asText(), task);
        }
        assertEquals("KeepResources?", build.state("RecordFirstBootMarkerTimeout").get("Next").asText());
        assertEquals("KeepResources?", build.state("RecordImageCopyTimeout").get("Next").asText());
    }

    @Test
    void theFailureOfABuildThatPublishedCopiesDeletesThemAfterTheImage() {
        assertEquals("DeleteFailedImageCopies", build.state("DeleteFailedImage").get("Next").asText());
        assertEquals("ErrorCaught?", build.state("DeleteFailedImageCopies").get("Next").asText());
    }

    @Test
    void givenSubnetIsCheckedInsteadOfCreatingANetwork() {
        JsonNode rule = Asl.rule(build.state("NetworkProvided?"), "$.config.network.temporary");
        assertFalse(rule.get("BooleanEquals").asBoolean(), "a given network means temporary = false");
        assertEquals(List.of("ResolveHelperImage", "CheckImageName", "NetworkProvided?", "CheckExistingNetwork",
                        "LaunchHelperInstance"),
                build.walk("ResolveHelperImage", Map.of("NetworkProvided?", "$.config.network.temporary",
                                "SmokeTestEnabled?", "Stop"))
                        .subList(0, 5));
    }

    @Test
    void factsSeenByChecksAreCopiedIntoResources() {
        assertCopied("RecordTargetVolume", "targetVolumeId");
        assertCopied("RecordStage3Url", "stage3Url");
        assertCopied("RecordStage3Sha256", "stage3Sha256");
        assertCopied("RecordBootstrapPhases", "bootstrapPhases");
    }

    @Test
    void failedBuildTearsDownInDependencyOrderDeletesTheImageAndFailsWithTheOriginalError() {
        List<String> expected = new java.util.ArrayList<>(List.of("KeepResources?"));
        expected.addAll(CLEANUP_CHAIN);
        expected.addAll(List.of("DeleteFailedImage", "DeleteFailedImageCopies", "ErrorCaught?", "NotifyFailure",
                "FailureKind?", "BuildFailed"));
        assertEquals(expected, build.walk("KeepResources?", Map.of(
                "KeepResources?", "Default", "FailedBuildImage?", "$.error", "ErrorCaught?", "$.error",
                "FailureKind?", "$.error")));
    }

    @Test
    void successfulBuildRunsTheSameCleanupButKeepsItsImageThenSummarizes() {
        List<String> expected = new java.util.ArrayList<>(List.of("KeepResources?"));
        expected.addAll(CLEANUP_CHAIN);
        expected.addAll(List.of("ErrorCaught?", "CleanupCompleted?", "NotifySuccess", "SummarizeBuild",
                "BuildSucceeded"));
        assertEquals(expected, build.walk("KeepResources?", Map.of("KeepResources?", "Default",
                "FailedBuildImage?", "Default", "ErrorCaught?", "Default", "CleanupCompleted?", "Default")));
        assertEquals("Succeed", build.state("BuildSucceeded").get("Type").asText());
        JsonNode summary = build.state("SummarizeBuild");
        assertFalse(summary.has("ResultPath"), "the summary is the execution's output");
    }

    @Test
    void keepResourcesSkipsTheCleanupOnBothPaths() {
        JsonNode keep = build.state("KeepResources?");
        JsonNode rule = keep.at("/Choices/0");
        assertEquals("$.config.keepResources", rule.at("/And/0/Variable").asText());
        assertTrue(rule.at("/And/0/IsPresent").asBoolean(), "an input without keepResources must not fail here");
        assertTrue(rule.at("/And/1/BooleanEquals").asBoolean());
        assertEquals("ErrorCaught?", rule.get("Next").asText());
        assertEquals("BeginCleanup", keep.get("Default").asText());
        // both outcomes of the build arrive at this one Choice
        assertEquals("KeepResources?", build.state("ApplyRetention").get("Next").asText());
        assertEquals("KeepResources?", build.state("RetentionRequested?").get("Default").asText());
        assertEquals("KeepResources?", build.state("CreateVpc").at("/Catch/0/Next").asText());
    }

    @Test
    void finalFailureCarriesTheOriginalErrorNameAndCause() {
        JsonNode failed = build.state("BuildFailed");
        assertEquals("Fail", failed.get("Type").asText());
        assertEquals("$.error.Error", failed.get("ErrorPath").asText());
        assertEquals("$.error.Cause", failed.get("CausePath").asText());
        assertEquals("$.error", build.state("CreateSnapshot").at("/Catch/0/ResultPath").asText());
    }

    @Test
    void everyStateIsReachableFromTheStart() {
        java.util.Set<String> reachable = new java.util.HashSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(build.startAt()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!reachable.add(name)) {
                continue;
            }
            JsonNode state = build.state(name);
            state.findValues("Next").forEach(next -> todo.push(next.asText()));
            state.findValues("Default").forEach(next -> todo.push(next.asText()));
            state.findValues("StartAt").forEach(next -> todo.push(next.asText()));
        }
        assertEquals(build.states.keySet(), reachable);
    }

    private void assertCopied(String pass, String field) {
        JsonNode state = build.state(pass);
        assertEquals("Pass", state.get("Type").asText());
        assertEquals("$.poll." + field, state.get("InputPath").asText());
        assertEquals("$.resources." + field, state.get("ResultPath").asText());
    }
}
