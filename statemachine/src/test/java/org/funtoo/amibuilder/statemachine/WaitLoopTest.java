package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;

/** Every wait is the one loop shape, with a deadline and a named timeout. */
class WaitLoopTest {
    /** Check state → its loop's timeout error, for both state machines. */
    private static final Map<String, String> LOOPS = Map.ofEntries(
            Map.entry("CheckHelperInstanceRunning", "HelperInstanceTimeout"),
            Map.entry("CheckSsmAgent", "SsmAgentTimeout"),
            Map.entry("GetBootstrapCommand", "BootstrapTimeout"),
            Map.entry("CheckSnapshotCompleted", "SnapshotTimeout"),
            Map.entry("CheckImageAvailable", "ImageTimeout"),
            Map.entry("CheckTestInstanceStatus", "TestInstanceStatusTimeout"),
            Map.entry("CheckFirstBootMarker", "FirstBootMarkerTimeout"),
            Map.entry("CheckTestInstanceTerminated", "TestInstanceTerminationTimeout"),
            Map.entry("CheckImageCopies", "ImageCopyTimeout"),
            Map.entry("CheckInstancesTerminated", "TerminationTimeout"));

    private final SynthesizedWorkflow workflow = SynthesizedWorkflow.get();

    @Test
    void theBuildHasExactlyItsTenLoopsAndTheCleanupItsTerminationLoop() {
        assertEquals(LOOPS.keySet(), checks(workflow.build).keySet());
        assertEquals(java.util.Set.of("CheckInstancesTerminated"), checks(workflow.cleanup).keySet());
    }

    @Test
    void everyLoopChecksFirstThenWaitsForTheHandlersEstimateAndChecksAgain() {
        for (Asl asl : java.util.List.of(workflow.build, workflow.cleanup)) {
            checks(asl).forEach((check, state) -> {
                JsonNode choice = asl.state(state.get("Next").asText());
                assertEquals("Choice", choice.get("Type").asText(), check);
                JsonNode wait = asl.state(choice.get("Default").asText());
                assertEquals("Wait", wait.get("Type").asText(), check + ": otherwise wait");
                assertEquals("$.poll.waitSeconds", wait.get("SecondsPath").asText(), check);
                assertEquals(check, wait.get("Next").asText(), check + ": the wait returns to the check");
                assertEquals(state.at("/Parameters/loop/name").asText(), choice.get("Default").asText(),
                        check + ": the Wait state is named after the loop");
                assertTrue(enteredAtTheCheck(asl, check), check + ": entered at the check, not at the wait");
            });
        }
    }

    @Test
    void everyLoopHasADeadlineAndEndsInItsNamedTimeoutError() {
        checks(workflow.build).forEach((check, state) -> {
            JsonNode loop = state.at("/Parameters/loop");
            assertTrue(loop.get("deadlineSeconds").asInt() > loop.get("maxWaitSeconds").asInt(), check);
            assertTrue(loop.get("minWaitSeconds").asInt() >= 1, check);
            assertTrue(loop.get("minWaitSeconds").asInt() <= loop.get("maxWaitSeconds").asInt(), check);
            JsonNode choice = workflow.build.state(state.get("Next").asText());
            JsonNode timedOut = Asl.rule(choice, "$.poll.timedOut");
            assertNotNull(timedOut, check + " has no timeout rule");
            assertTrue(timedOut.get("BooleanEquals").asBoolean(), check);
            JsonNode onTimeout = workflow.build.state(timedOut.get("Next").asText());
            if (check.equals("CheckInstancesTerminated")) {
                // cleanup goes on after a stuck termination; the error is recorded for CleanupCompleted?
                assertEquals("Pass", onTimeout.get("Type").asText());
                assertEquals("TerminationTimeout", onTimeout.at("/Parameters/Error").asText());
                assertEquals("$.cleanupErrors.WaitForInstancesTerminated", onTimeout.get("ResultPath").asText());
            } else {
                // the named timeout is written where the catch-all writes errors, then the cleanup runs
                assertEquals("Pass", onTimeout.get("Type").asText(), check);
                assertEquals(LOOPS.get(check), onTimeout.at("/Parameters/Error").asText(), check);
                assertEquals("$.error", onTimeout.get("ResultPath").asText(), check);
                assertEquals("KeepResources?", onTimeout.get("Next").asText(), check);
            }
            JsonNode done = Asl.rule(choice, "$.poll.done");
            assertTrue(done.get("BooleanEquals").asBoolean(), check);
            assertEquals(0, indexOf(choice, done), check + ": done is decided before the deadline");
        });
    }

    @Test
    void intervalsFitTheThingAwaitedAndAmiPendingHasALongDeadline() {
        Map<String, JsonNode> loops = new LinkedHashMap<>();
        checks(workflow.build).forEach((check, state) -> loops.put(check, state.at("/Parameters/loop")));
        assertTrue(loops.get("CheckHelperInstanceRunning").get("maxWaitSeconds").asInt() <= 30, "instance state: seconds");
        assertTrue(loops.get("CheckInstancesTerminated").get("maxWaitSeconds").asInt() <= 30, "termination: seconds");
        assertTrue(loops.get("GetBootstrapCommand").get("maxWaitSeconds").asInt() >= 120, "bootstrap: minutes");
        assertTrue(loops.get("CheckSnapshotCompleted").get("maxWaitSeconds").asInt() >= 120, "snapshot: minutes");
        assertTrue(loops.get("CheckImageAvailable").get("deadlineSeconds").asInt() >= 3600,
                "an AMI may stay pending for a long time without being stuck");
        assertEquals((int) BuildWorkflowProps.DEFAULT_BOOTSTRAP_DEADLINE.toSeconds().intValue(),
                loops.get("GetBootstrapCommand").get("deadlineSeconds").asInt());
    }

    @Test
    void checksReceiveTheDocumentAndTheirLoopAndWriteOnlyThePoll() {
        checks(workflow.build).forEach((check, state) -> {
            assertEquals("$.config", state.at("/Parameters/config.$").asText(), check);
            assertEquals("$.resources", state.at("/Parameters/resources.$").asText(), check);
            assertEquals("$.poll", state.at("/Parameters/poll.$").asText(), check);
            assertEquals("$.poll", state.get("ResultPath").asText(), check);
            assertTrue(state.at("/Parameters/loop/name").asText().startsWith("WaitFor"), check);
        });
    }

    @Test
    void aLoopWhoseDeadlineAllowsNoSecondLookIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoopSpec("WaitForX", Handlers.CHECK_IMAGE_AVAILABLE,
                "X?", "XTimeout", Duration.seconds(30), Duration.seconds(10), Duration.seconds(60)));
        assertThrows(IllegalArgumentException.class, () -> new LoopSpec("WaitForX", Handlers.CHECK_IMAGE_AVAILABLE,
                "X?", "XTimeout", Duration.minutes(10), Duration.seconds(90), Duration.seconds(60)));
    }

    /** Check states (their Parameters carry a loop) by name. */
    static Map<String, JsonNode> checks(Asl asl) {
        Map<String, JsonNode> checks = new LinkedHashMap<>();
        asl.states.forEach((name, state) -> {
            if (state.at("/Parameters/loop").isObject()) {
                checks.put(name, state);
            }
        });
        return checks;
    }

    /** Some state other than the loop's own Wait leads to the check. */
    private static boolean enteredAtTheCheck(Asl asl, String check) {
        for (JsonNode state : asl.states.values()) {
            if (!state.get("Type").asText().equals("Wait") && check.equals(state.path("Next").asText())) {
                return true;
            }
            for (JsonNode rule : state.path("Choices")) {
                if (check.equals(rule.path("Next").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(JsonNode choice, JsonNode rule) {
        for (int i = 0; i < choice.get("Choices").size(); i++) {
            if (choice.get("Choices").get(i).equals(rule)) {
                return i;
            }
        }
        return -1;
    }
}
