package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retry and catch configuration of every Task state. */
class RetryAndCatchTest {
    private static final List<String> CLEANUP_STEPS = List.of("TerminateInstances", "CheckInstancesTerminated",
            "DeleteVolumes", "DeleteSecurityGroup", "DeleteInternetGateway", "DeleteSubnet", "DeleteRouteTable",
            "DeleteVpc", "DeleteFailedImage", "DeleteFailedImageCopies");

    private final SynthesizedWorkflow workflow = SynthesizedWorkflow.get();

    @Test
    void everyLambdaTaskRetriesLambdaServiceErrorsAndThrottlesWithJitter() {
        forEachLambdaTask((name, task) -> {
            JsonNode retrier = retrierFor(task, "Lambda.TooManyRequestsException");
            assertEquals(strings(retrier.get("ErrorEquals")), Retries.LAMBDA_SERVICE_ERRORS, name);
            assertBoundedBackoffWithFullJitter(name, retrier);
        });
    }

    @Test
    void everyLambdaTaskRetriesTheSdksTransientErrorsBrieflyWithJitter() {
        forEachLambdaTask((name, task) -> {
            JsonNode retrier = retrierFor(task, Retries.AWS_TRANSIENT);
            assertEquals(List.of(Retries.AWS_TRANSIENT), strings(retrier.get("ErrorEquals")), name);
            assertBoundedBackoffWithFullJitter(name, retrier);
            assertTrue(retrier.get("MaxDelaySeconds").asInt() <= 120, name + ": the backoff is capped");
            assertFalse(task.toString().contains("software.amazon.awssdk"), name + ": no SDK class is listed by hand");
        });
    }

    @Test
    void everyLambdaTaskWaitsForWhatHealsByWaitingUntilItsDeadline() {
        forEachLambdaTask((name, task) -> {
            JsonNode retrier = retrierFor(task, Retries.AWS_NOT_READY);
            assertEquals(List.of(Retries.AWS_NOT_READY), strings(retrier.get("ErrorEquals")), name);
            int attempts = retrier.get("MaxAttempts").asInt();
            assertEquals(Retries.NOT_READY_MAX_ATTEMPTS, attempts, name);
            assertTrue(Retries.notReadyWaitOf(attempts).compareTo(Retries.NOT_READY_DEADLINE) >= 0
                    && Retries.notReadyWaitOf(attempts - 1).compareTo(Retries.NOT_READY_DEADLINE) < 0,
                    name + ": the loop's waits add up to its deadline");
            assertTrue(retrier.get("MaxDelaySeconds").asInt() <= 300, name + ": looks again at least every 5 min");
        });
    }

    @Test
    void namedErrorsAndCatchAllsAreNeverRetried() {
        for (Asl asl : List.of(workflow.build, workflow.cleanup)) {
            asl.states.forEach((name, state) -> state.path("Retry").forEach(retrier -> {
                for (JsonNode error : retrier.get("ErrorEquals")) {
                    assertFalse(Retries.NAMED_ERRORS.contains(error.asText()), name + " retries " + error);
                    assertFalse(error.asText().startsWith("States."), name + " retries " + error);
                }
            }));
        }
    }

    @Test
    void everyTaskOfTheMainPathCatchesAllIntoTheCleanupKeepingTheDocument() {
        List<String> mainPath = workflow.build.walk("ResolveHelperImage", BuildOrderTest.EVERYTHING_REQUESTED);
        mainPath = new java.util.ArrayList<>(mainPath.subList(0, mainPath.indexOf("ApplyRetention")));
        mainPath.add("CheckExistingNetwork");
        int tasks = 0;
        for (String name : mainPath) {
            JsonNode state = workflow.build.state(name);
            if (!state.get("Type").asText().equals("Task")) {
                continue;
            }
            tasks++;
            assertEquals(1, state.get("Catch").size(), name);
            JsonNode catchAll = state.get("Catch").get(0);
            assertEquals(List.of("States.ALL"), strings(catchAll.get("ErrorEquals")), name);
            assertEquals("$.error", catchAll.get("ResultPath").asText(),
                    name + ": the error goes next to the document, so cleanup sees resources");
            assertEquals("KeepResources?", catchAll.get("Next").asText(), name);
        }
        assertEquals(18 + 1 + 5 + 5, tasks,
                "tasks of the image path, ReleaseHelper, the smoke test and publishing (ApplyRetention apart)");
        assertFalse(workflow.build.text.contains("\"Parallel\""), "no Parallel hides the resources from the catch");
    }

    @Test
    void everyCleanupStepRecordsItsErrorAndGoesOnWithTheNextStep() {
        for (Asl asl : List.of(workflow.build, workflow.cleanup)) {
            for (String step : CLEANUP_STEPS) {
                JsonNode state = asl.state(step);
                assertEquals(1, state.get("Catch").size(), step);
                JsonNode catchAll = state.get("Catch").get(0);
                assertEquals(List.of("States.ALL"), strings(catchAll.get("ErrorEquals")), step);
                String recordedAs = step.equals("CheckInstancesTerminated") ? "WaitForInstancesTerminated" : step;
                assertEquals("$.cleanupErrors." + recordedAs, catchAll.get("ResultPath").asText(), step);
                String after = step.equals("CheckInstancesTerminated") ? "DeleteVolumes"
                        : state.get("Next").asText();
                assertEquals(after, catchAll.get("Next").asText(), step + " stops the teardown on failure");
            }
        }
    }

    @Test
    void anyRecordedCleanupErrorEndsTheSuccessPathWithCleanupFailed() {
        JsonNode completed = workflow.build.state("CleanupCompleted?");
        List<String> checked = new ArrayList<>();
        completed.at("/Choices/0/Or").forEach(rule -> checked.add(rule.get("Variable").asText()));
        assertEquals(List.of("$.cleanupErrors.TerminateInstances", "$.cleanupErrors.WaitForInstancesTerminated",
                "$.cleanupErrors.DeleteVolumes", "$.cleanupErrors.DeleteSecurityGroup",
                "$.cleanupErrors.DeleteInternetGateway", "$.cleanupErrors.DeleteSubnet",
                "$.cleanupErrors.DeleteRouteTable", "$.cleanupErrors.DeleteVpc",
                "$.cleanupErrors.DeleteFailedImage", "$.cleanupErrors.DeleteFailedImageCopies"), checked);
        JsonNode notify = workflow.build.state(completed.at("/Choices/0/Next").asText());
        assertEquals("NotifyFailure", completed.at("/Choices/0/Next").asText(), "a failed cleanup is announced");
        JsonNode kind = workflow.build.state(notify.get("Next").asText());
        assertEquals("BuildFailed", Asl.rule(kind, "$.error").get("Next").asText(),
                "a build error stays the execution's error");
        JsonNode describe = workflow.build.state(kind.get("Default").asText());
        assertEquals("States.JsonToString($.cleanupErrors)", describe.at("/Parameters/cause.$").asText());
        JsonNode failed = workflow.build.state(describe.get("Next").asText());
        assertEquals("CleanupFailed", failed.get("Error").asText());
        assertEquals(describe.get("ResultPath").asText() + ".cause", failed.get("CausePath").asText());
        assertEquals("BeginCleanup", workflow.build.state("KeepResources?").get("Default").asText());
        assertEquals("$.cleanupErrors", workflow.build.state("BeginCleanup").get("ResultPath").asText());
    }

    @Test
    void retentionAndNotificationsRecordTheirFailureAndLeaveTheOutcomeAlone() {
        Map<String, String> next = Map.of("ApplyRetention", "KeepResources?", "NotifySuccess", "SummarizeBuild",
                "NotifyFailure", "FailureKind?");
        Map<String, String> recordedAt = Map.of("ApplyRetention", "$.retentionError", "NotifySuccess",
                "$.notifyError", "NotifyFailure", "$.notifyError");
        next.forEach((name, after) -> {
            JsonNode state = workflow.build.state(name);
            assertEquals(after, state.get("Next").asText(), name);
            assertEquals(1, state.get("Catch").size(), name);
            JsonNode catchAll = state.get("Catch").get(0);
            assertEquals(List.of("States.ALL"), strings(catchAll.get("ErrorEquals")), name);
            assertEquals(after, catchAll.get("Next").asText(), name + " goes on after a failure");
            assertEquals(recordedAt.get(name), catchAll.get("ResultPath").asText(), name + " keeps $.error intact");
            assertEquals("$", state.path("InputPath").asText("$"), name);
            assertTrue(state.has("ResultPath") && state.get("ResultPath").isNull(), name + " result dropped");
        });
    }

    private void forEachLambdaTask(java.util.function.BiConsumer<String, JsonNode> check) {
        int tasks = 0;
        for (Asl asl : List.of(workflow.build, workflow.cleanup)) {
            for (String name : asl.taskStates()) {
                JsonNode task = asl.state(name);
                if (task.get("Resource").asText().startsWith("arn:aws:lambda:")) {
                    check.accept(name, task);
                    tasks++;
                }
            }
        }
        // + ReleaseHelper: the build's second state running TerminateInstances' function
        assertEquals(Handlers.BUILD.size() + Handlers.CLEANUP.size() + 1, tasks, "Lambda tasks checked");
    }

    private static JsonNode retrierFor(JsonNode task, String error) {
        for (JsonNode retrier : task.path("Retry")) {
            if (strings(retrier.get("ErrorEquals")).contains(error)) {
                return retrier;
            }
        }
        throw new AssertionError("no retrier for " + error + " in " + task);
    }

    private static void assertBoundedBackoffWithFullJitter(String name, JsonNode retrier) {
        assertEquals("FULL", retrier.get("JitterStrategy").asText(), name);
        assertTrue(retrier.get("BackoffRate").asDouble() > 1, name);
        assertTrue(retrier.get("MaxAttempts").asInt() > 0 && retrier.get("MaxAttempts").asInt() <= 10, name);
        assertTrue(retrier.has("MaxDelaySeconds"), name);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
