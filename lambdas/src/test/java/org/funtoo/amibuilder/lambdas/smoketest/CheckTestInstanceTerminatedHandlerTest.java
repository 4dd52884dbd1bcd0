package org.funtoo.amibuilder.lambdas.smoketest;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class CheckTestInstanceTerminatedHandlerTest {
    private static final String LOOP = "WaitForTestInstanceTerminated";
    private final Fixture f = new Fixture();
    private final CheckTestInstanceTerminatedHandler handler = new CheckTestInstanceTerminatedHandler(f.deps());

    @Test
    void waitsWhileTheTestInstanceShutsDownAndIgnoresTheRunningHelper() {
        Map<String, Object> resources = f.smokeTested();
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), LOOP), null);
        Expect.waiting(poll, "shutting-down");

        f.aws.clock().advance(f.aws.timings().instanceShuttingDown);

        Expect.done(handler.handleRequest(f.check(resources, poll, LOOP), null), "terminated");
    }

    @Test
    void runningTestInstanceIsWaitedFor() {
        Map<String, Object> resources = f.testInstanceLaunched();
        Expect.waiting(handler.handleRequest(f.check(resources, Map.of(), LOOP), null), "pending");
    }
}
