package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build state machine's states and their order (issue 4), walked on the synthesized definition. */
class BuildOrderTest {
    private static final List<String> CLEANUP_CHAIN = List.of(
            "BeginCleanup", "TerminateInstances", "CheckInstancesTerminated", "InstancesTerminated?",
            "DeleteVolumes", "DeleteSecurityGroup", "DeleteInternetGateway", "DeleteSubnet", "DeleteRouteTable",
            "DeleteVpc", "FailedBuildImage?");

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
        assertFalse(validate.has("Catch"), "an invalid input created nothing: no teardown, the execution fails");
    }

    @Test
    void imagePathRunsInIssueOrderThroughATemporaryNetwork() {
        assertEquals(List.of(
                        "ResolveHelperImage", "CheckImageName", "NetworkProvided?",
                        "SelectAvailabilityZone", "CreateVpc", "CreateSubnet", "CreateInternetGateway",
                        "CreateRouteTable", "CreateSecurityGroup",
                        "LaunchHelperInstance", "DescribeHelperInstance", "HelperRunning?", "RecordTargetVolume",
                        "CheckSsmAgent", "SsmAgentOnline?",
                        "SendBootstrapCommand", "GetBootstrapCommand", "BootstrapCompleted?",
                        "RecordStage3Url", "RecordStage3Sha256",
                        "CreateSnapshot", "DescribeSnapshot", "SnapshotCompleted?",
                        "RegisterImage", "DescribeImage", "ImageAvailable?", "ImageReady", "KeepResources?"),
                build.walk("ResolveHelperImage", Map.of("NetworkProvided?", "Default", "KeepResources?", "Stop")).subList(0, 28));
        assertEquals("KeepResources?", build.state("ImageReady").get("Next").asText(),
                "the image path ends where the catch-all goes: one cleanup for both outcomes");
    }

    @Test
    void givenSubnetIsCheckedInsteadOfCreatingANetwork() {
        JsonNode rule = Asl.rule(build.state("NetworkProvided?"), "$.config.network.temporary");
        assertFalse(rule.get("BooleanEquals").asBoolean(), "a given network means temporary = false");
        assertEquals(List.of("ResolveHelperImage", "CheckImageName", "NetworkProvided?", "CheckExistingNetwork",
                        "LaunchHelperInstance"),
                build.walk("ResolveHelperImage", Map.of("NetworkProvided?", "$.config.network.temporary", "KeepResources?", "Stop"))
                        .subList(0, 5));
    }

    @Test
    void factsSeenByChecksAreCopiedIntoResources() {
        assertCopied("RecordTargetVolume", "targetVolumeId");
        assertCopied("RecordStage3Url", "stage3Url");
        assertCopied("RecordStage3Sha256", "stage3Sha256");
    }

    @Test
    void failedBuildTearsDownInDependencyOrderDeletesTheImageAndFailsWithTheOriginalError() {
        List<String> expected = new java.util.ArrayList<>(List.of("KeepResources?"));
        expected.addAll(CLEANUP_CHAIN);
        expected.addAll(List.of("DeleteFailedImage", "ErrorCaught?", "BuildFailed"));
        assertEquals(expected, build.walk("KeepResources?", Map.of(
                "KeepResources?", "Default", "FailedBuildImage?", "$.error", "ErrorCaught?", "$.error")));
    }

    @Test
    void successfulBuildRunsTheSameCleanupButKeepsItsImageThenSummarizes() {
        List<String> expected = new java.util.ArrayList<>(List.of("KeepResources?"));
        expected.addAll(CLEANUP_CHAIN);
        expected.addAll(List.of("ErrorCaught?", "CleanupCompleted?", "SummarizeBuild", "BuildSucceeded"));
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
        assertEquals("KeepResources?", build.state("ImageReady").get("Next").asText());
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
