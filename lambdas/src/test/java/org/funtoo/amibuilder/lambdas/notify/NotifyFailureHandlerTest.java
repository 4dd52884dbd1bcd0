package org.funtoo.amibuilder.lambdas.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.sim.LambdaError;
import org.funtoo.amibuilder.lambdas.smoketest.CheckFirstBootMarkerHandler;
import org.funtoo.amibuilder.sim.SimSns;
import org.junit.jupiter.api.Test;

class NotifyFailureHandlerTest {
    /** A handler with a defect: a state named Broken would run it. */
    static final class BrokenHandler extends Handler {
        @Override
        protected Map<String, Object> handle(StateDocument doc) {
            throw new NullPointerException("resources.instanceId");
        }

        @Override
        protected ErrorName failure() {
            return ErrorName.HelperFailed;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Fixture f = new Fixture();
    private final String topicArn = f.aws.sns().createTopic(r -> r.name("builds")).topicArn();
    private final NotifyFailureHandler handler = new NotifyFailureHandler(
            f.deps(Env.NOTIFICATION_TOPIC_ARN, topicArn));

    @Test
    void lambdaErrorNamesTheFailingStateFromItsMarkUnderItsShortName() throws Exception {
        // the failure as the handler lets it out, and what the Java runtime and Step Functions make of it
        BuildFailure thrown = BuildFailure.of(ErrorName.SmokeTestFailed,
                "test instance i-0123456789abcdef0: no first-boot marker")
                .raisedIn(CheckFirstBootMarkerHandler.class.getSimpleName());

        handler.handleRequest(failedDoc(LambdaError.errorType(thrown), LambdaError.cause(thrown)), null);

        JsonNode detail = JSON.readTree(f.aws.events().published().get(0).detail());
        assertEquals("AMI Build Failed", f.aws.events().published().get(0).detailType());
        assertEquals("FAILED", detail.path("status").asText());
        assertEquals("SmokeTestFailed", detail.path("error").asText());
        assertEquals("test instance i-0123456789abcdef0: no first-boot marker", detail.path("cause").asText());
        assertEquals("CheckFirstBootMarker", detail.path("failedState").asText());
        SimSns.Message message = f.aws.sns().published().get(0);
        assertEquals("funtoo-ami-builder: build " + Fixture.BUILD_ID + " failed: SmokeTestFailed", message.subject());
        for (String essential : List.of("SmokeTestFailed", "CheckFirstBootMarker", "no first-boot marker",
                "(not published)", "removed by the build's cleanup")) {
            assertTrue(message.message().contains(essential), () -> essential + " missing from " + message.message());
        }
    }

    @Test
    void aDefectInAHandlerKeepsItsTypeAndStillNamesTheFailedState() throws Exception {
        // a handler that fails in a way nobody planned for, as Lambda lets it out of the Handler base class
        Handler broken = new BrokenHandler();
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> broken.handleRequest(Map.of("config", Map.of("buildId", Fixture.BUILD_ID)), null));

        handler.handleRequest(failedDoc(LambdaError.errorType(thrown), LambdaError.cause(thrown)), null);

        JsonNode detail = JSON.readTree(f.aws.events().published().get(0).detail());
        assertEquals("java.lang.IllegalStateException", detail.path("error").asText());
        assertEquals("java.lang.NullPointerException: resources.instanceId", detail.path("cause").asText());
        assertEquals("Broken", detail.path("failedState").asText());
    }

    @Test
    void anErrorWithoutTheMarkKeepsItsNameAndNamesNoState() throws Exception {
        // e.g. the Lambda service's own errors, which never passed through a handler
        String cause = LambdaError.cause("Lambda.Unknown", "The cause could not be determined");
        handler.handleRequest(failedDoc("Lambda.Unknown", cause), null);
        JsonNode detail = JSON.readTree(f.aws.events().published().get(0).detail());
        assertEquals("Lambda.Unknown", detail.path("error").asText());
        assertEquals("The cause could not be determined", detail.path("cause").asText());
        assertEquals("unknown", detail.path("failedState").asText());
    }

    @Test
    void loopTimeoutNamesTheLoop() throws Exception {
        String cause = "{\"loop\":\"WaitForImageCopies\",\"attempts\":90,\"timedOut\":true,\"state\":\"eu-west-1 pending\"}";
        handler.handleRequest(failedDoc("ImageCopiesTimeout", cause), null);
        JsonNode detail = JSON.readTree(f.aws.events().published().get(0).detail());
        assertEquals("WaitForImageCopies", detail.path("failedState").asText());
        assertTrue(detail.path("cause").asText().contains("eu-west-1 pending"));
    }

    @Test
    void plainTextCauseIsPassedOnWithAnUnknownState() throws Exception {
        handler.handleRequest(failedDoc("States.Timeout", "the task timed out"), null);
        JsonNode detail = JSON.readTree(f.aws.events().published().get(0).detail());
        assertEquals("the task timed out", detail.path("cause").asText());
        assertEquals("unknown", detail.path("failedState").asText());
    }

    @Test
    void deliveredImageWhoseCleanupFailedIsReportedAsCleanupFailed() throws Exception {
        Map<String, Object> doc = f.doc(Map.of("imageId", "ami-0123456789abcdef0"));
        doc.put("cleanupErrors", Map.of("DeleteSubnet", Map.of("Error", "software.amazon.awssdk.services.ec2.model"
                + ".Ec2Exception", "Cause", "DependencyViolation")));

        handler.handleRequest(doc, null);

        JsonNode detail = JSON.readTree(f.aws.events().published().get(0).detail());
        assertEquals("CleanupFailed", detail.path("error").asText());
        assertEquals("DeleteSubnet", detail.path("failedState").asText());
        assertTrue(f.aws.sns().published().get(0).message().contains("ami-0123456789abcdef0"));
        assertTrue(f.aws.sns().published().get(0).message().contains("the janitor's cleanup retries"));
    }

    @Test
    void hugeCauseIsShortenedForTheEventAndTheMessage() throws Exception {
        handler.handleRequest(failedDoc(ErrorName.BootstrapFailed.errorType(), "x".repeat(100_000)), null);
        JsonNode detail = JSON.readTree(f.aws.events().published().get(0).detail());
        assertEquals(FailureReport.MAX_MESSAGE + 3, detail.path("cause").asText().length());
    }

    private Map<String, Object> failedDoc(String error, String cause) {
        Map<String, Object> doc = f.doc(Map.of());
        doc.put("error", Map.of("Error", error, "Cause", cause));
        return doc;
    }
}
