package org.funtoo.amibuilder.lambdas.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class CheckSsmAgentHandlerTest {
    private final Fixture f = new Fixture();
    private final CheckSsmAgentHandler handler = new CheckSsmAgentHandler(f.deps());

    @Test
    void waitsUntilTheAgentIsOnline() {
        Map<String, Object> resources = running();
        Map<String, Object> first = handler.handleRequest(f.check(resources, Map.of(), "WaitForAgent"), null);
        Expect.waiting(first, "NotRegistered");
        assertEquals(10L, first.get("waitSeconds"));
        f.aws.clock().advance(f.aws.timings().ssmAgentOnline);
        Expect.done(handler.handleRequest(f.check(resources, first, "WaitForAgent"), null), "Online");
    }

    @Test
    void agentThatNeverRegistersEndsInTheLoopsTimeout() {
        Map<String, Object> resources = running();
        f.aws.ssm().agentNeverRegisters(Fixture.id(resources, Resources.INSTANCE_ID));
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), "WaitForAgent"), null);
        f.aws.clock().advanceSeconds(1801);
        poll = handler.handleRequest(f.check(resources, poll, "WaitForAgent"), null);
        assertEquals(false, poll.get("done"));
        assertEquals("NotRegistered", poll.get("state"));
        assertEquals(true, poll.get("timedOut"));
    }

    private Map<String, Object> running() {
        Map<String, Object> resources = new LinkedHashMap<>(f.helperLaunched());
        f.aws.clock().advance(f.aws.timings().instancePending);
        return resources;
    }
}
