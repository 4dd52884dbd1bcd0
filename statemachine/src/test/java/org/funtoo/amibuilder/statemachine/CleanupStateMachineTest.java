package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The janitor's state machine: the build's teardown, started from a build id. */
class CleanupStateMachineTest {
    private final SynthesizedWorkflow workflow = SynthesizedWorkflow.get();
    private final Asl cleanup = workflow.cleanup;

    @Test
    void startsFromABuildIdAlone() {
        assertEquals("PrepareCleanup", cleanup.startAt());
        JsonNode prepare = cleanup.state("PrepareCleanup");
        assertEquals("Pass", prepare.get("Type").asText());
        assertEquals("$.buildId", prepare.at("/Parameters/config/buildId.$").asText());
        assertEquals(0, prepare.at("/Parameters/resources").size());
        assertTrue(prepare.at("/Parameters/resources").isObject());
        assertTrue(prepare.at("/Parameters/poll").isObject());
        assertTrue(prepare.at("/Parameters/cleanupErrors").isObject());
    }

    @Test
    void runsTheBuildsTeardownInTheSameOrder() {
        List<String> janitor = cleanup.walk("TerminateInstances", Map.of("FailedBuildImage?", "$.error",
                "CleanupCompleted?", "Default"));
        List<String> build = workflow.build.walk("TerminateInstances", Map.of("FailedBuildImage?", "$.error",
                "ErrorCaught?", "Default", "CleanupCompleted?", "Default"));
        assertEquals(build.subList(0, build.indexOf("DeleteFailedImage") + 1),
                janitor.subList(0, janitor.indexOf("DeleteFailedImage") + 1));
        assertEquals(List.of("DeleteFailedImage", "DeleteFailedImageCopies", "CleanupCompleted?", "CleanupSucceeded"),
                janitor.subList(janitor.indexOf("DeleteFailedImage"), janitor.size()));
    }

    @Test
    void deletesTheImageOnlyOfABuildThatDidNotDeliverIt() {
        JsonNode status = cleanup.state("BuildStatus?");
        assertEquals("BuildStillRunning", status.at("/Choices/0/Next").asText());
        assertEquals("RUNNING", status.at("/Choices/0/StringEquals").asText());
        JsonNode delivered = status.at("/Choices/1");
        assertEquals("TerminateInstances", delivered.get("Next").asText(), "delivered: teardown, image kept");
        assertEquals("SUCCEEDED", delivered.at("/Or/0/StringEquals").asText());
        assertEquals("CleanupFailed", delivered.at("/Or/1/And/2/StringEquals").asText(),
                "a build that only failed its cleanup delivered its image");
        assertEquals("RecordBuildFailure", status.get("Default").asText());
        JsonNode record = cleanup.state("RecordBuildFailure");
        assertEquals("$.error", record.get("ResultPath").asText(), "FailedBuildImage? deletes on $.error");
        assertEquals("$.build.Status", record.at("/Parameters/Error.$").asText());
    }

    @Test
    void refusesToTearDownUnderARunningBuild() {
        JsonNode running = cleanup.state("BuildStillRunning");
        assertEquals("Fail", running.get("Type").asText());
        assertEquals("BuildStillRunning", running.get("Error").asText());
    }

    @Test
    void readsHowTheBuildEndedFromThisStacksBuildStateMachine() {
        JsonNode describe = cleanup.state("DescribeBuildExecution");
        assertEquals("arn:aws:states:::aws-sdk:sfn:describeExecution", describe.get("Resource").asText());
        String arn = describe.at("/Parameters/ExecutionArn.$").asText();
        assertTrue(arn.startsWith("States.Format('arn:aws:states:us-east-1:123456789012:execution:WorkflowBuild"),
                arn);
        assertTrue(arn.endsWith(":{}', $.config.buildId)"), arn);
        assertEquals("$.build", describe.get("ResultPath").asText());
        JsonNode unknown = describe.get("Catch").get(0);
        assertEquals("TerminateInstances", unknown.get("Next").asText(),
                "an unknown build is cleaned up without deleting any image");
        assertEquals("$.cleanupErrors.DescribeBuildExecution", unknown.get("ResultPath").asText());
        assertFalse(cleanup.state("CleanupCompleted?").toString().indexOf("DescribeBuildExecution") < 0,
                "a failed lookup ends the cleanup with CleanupFailed");
    }
}
