package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: the interpreter's Wait states and retry pauses move the simulated clock (and only that),
 * handler errors reach Step Functions under their runtime error type, and an abort stops the execution.
 */
class LocalExecutionHarnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = "ProbeFn";
    private static final String PROBE_ARN = SynthesizedTemplate.functionArn(PROBE);

    private SimAws aws;
    private HandlerHost host;

    @BeforeEach
    void start() throws Exception {
        aws = new SimAws();
        host = new HandlerHost(aws, Map.of(PROBE, new SynthesizedTemplate.Function(PROBE, ClockProbeHandler.class.getName(), Map.of())));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static JsonNode def(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"').replace("PROBE", PROBE_ARN));
    }

    @Test
    void waitStatesAdvanceTheSimulatedClockBeforeTheNextTaskRuns() throws Exception {
        Instant start = aws.clock().instant();
        JsonNode definition = def("""
                {'StartAt':'First','States':{
                  'First':{'Type':'Wait','Seconds':30,'Next':'Probe1'},
                  'Probe1':{'Type':'Task','Resource':'PROBE','ResultPath':'$.p1','Next':'Second'},
                  'Second':{'Type':'Wait','SecondsPath':'$.wait','Next':'Probe2'},
                  'Probe2':{'Type':'Task','Resource':'PROBE','ResultPath':'$.p2','End':true}}}""");
        LocalExecution.Result r = LocalExecution.run(host, definition, JSON.readTree("{\"wait\": 600}"), "harness-1",
                start.toString(), null);

        assertEquals("SUCCEEDED", r.status(), () -> r.toString());
        assertEquals(start.plusSeconds(30).toString(), r.output().path("p1").path("now").asText());
        assertEquals(start.plusSeconds(630).toString(), r.output().path("p2").path("now").asText());
        assertEquals(4, r.stateTransitions());
    }

    @Test
    void retryPausesAdvanceTheClockWithinTheRetrierBounds() throws Exception {
        Instant start = aws.clock().instant();
        JsonNode definition = def("""
                {'StartAt':'Probe','States':{
                  'Probe':{'Type':'Task','Resource':'PROBE','End':true,
                    'Retry':[{'ErrorEquals':['java.lang.IllegalStateException'],'IntervalSeconds':10,'BackoffRate':2,
                              'MaxAttempts':5,'MaxDelaySeconds':25}]}}}""");
        LocalExecution.Result r = LocalExecution.run(host, definition, JSON.readTree("{\"failUntilCall\": 3}"),
                "harness-2", start.toString(), null);

        assertEquals("SUCCEEDED", r.status(), () -> r.toString());
        assertEquals(3, r.retries());
        // pauses 10 + 20 + min(40, 25) without jitter
        assertEquals(start.plusSeconds(55).toString(), r.output().path("now").asText());
    }

    @Test
    void namedHandlerErrorBecomesTheExecutionError() throws Exception {
        JsonNode definition = def("""
                {'StartAt':'Probe','States':{'Probe':{'Type':'Task','Resource':'PROBE','End':true}}}""");
        LocalExecution.Result r = LocalExecution.run(host, definition, JSON.readTree("{\"named\": \"BootstrapFailed\"}"),
                "harness-3", aws.clock().instant().toString(), null);

        assertEquals("FAILED", r.status());
        // a bare Task: the error as Lambda's Java runtime reports it (the workflow's Fail states shorten it)
        assertEquals(ErrorName.BootstrapFailed.errorType(), r.error());
        assertTrue(r.cause().contains("asked to fail"), r.cause());
    }

    @Test
    void abortStopsTheExecutionAfterTheNamedState() throws Exception {
        JsonNode definition = def("""
                {'StartAt':'Probe1','States':{
                  'Probe1':{'Type':'Task','Resource':'PROBE','ResultPath':'$.p1','Next':'Probe2'},
                  'Probe2':{'Type':'Task','Resource':'PROBE','ResultPath':'$.p2','End':true}}}""");
        LocalExecution.Result r = LocalExecution.run(host, definition, JSON.readTree("{}"), "harness-4",
                aws.clock().instant().toString(), "Probe1");

        assertEquals("ABORTED", r.status());
        assertEquals(1, host.invocationCount(i -> true));
    }
}
