package org.funtoo.amibuilder.lambdas.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class CheckInstancesTerminatedHandlerTest {
    private static final String LOOP = "WaitForTermination";
    private final Fixture f = new Fixture();
    private final CheckInstancesTerminatedHandler handler =
            new CheckInstancesTerminatedHandler(f.deps());

    @Test
    void waitsWhileShuttingDownThenIsDone() {
        Map<String, Object> resources = f.helperOnline();
        String instanceId = Fixture.id(resources, Resources.INSTANCE_ID);
        Map<String, Object> after = new TerminateInstancesHandler(f.deps()).handleRequest(f.doc(resources), null);
        Map<String, Object> poll = handler.handleRequest(f.check(after, Map.of(), LOOP), null);
        Expect.waiting(poll, "shutting-down");
        assertEquals(List.of(instanceId), poll.get("remaining"));
        f.aws.clock().advance(f.aws.timings().instanceShuttingDown.plusSeconds(1));
        Expect.done(handler.handleRequest(f.check(after, poll, LOOP), null), "terminated");
    }

    @Test
    void buildThatNeverLaunchedIsDoneAtOnce() {
        f.network();
        Expect.done(handler.handleRequest(f.check(Map.of(), Map.of(), LOOP), null), "terminated");
    }
}
