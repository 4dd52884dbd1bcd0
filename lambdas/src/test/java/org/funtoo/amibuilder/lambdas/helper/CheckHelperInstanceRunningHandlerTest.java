package org.funtoo.amibuilder.lambdas.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class CheckHelperInstanceRunningHandlerTest {
    private final Fixture f = new Fixture();
    private final CheckHelperInstanceRunningHandler handler = new CheckHelperInstanceRunningHandler(f.deps());

    @Test
    void pendingWaitsThenRunningReportsTheTargetVolume() {
        Map<String, Object> resources = f.helperLaunched();
        Map<String, Object> first = handler.handleRequest(f.check(resources, Map.of(), "WaitForHelper"), null);
        Expect.waiting(first, "pending");
        assertEquals(15L, first.get("waitSeconds"));
        f.aws.clock().advance(f.aws.timings().instancePending);
        Map<String, Object> second = handler.handleRequest(f.check(resources, first, "WaitForHelper"), null);
        Expect.done(second, "running");
        assertEquals(2L, second.get("attempts"));
        String volumeId = (String) second.get("targetVolumeId");
        String instanceId = Fixture.id(resources, Resources.INSTANCE_ID);
        assertTrue(f.aws.ec2().describeVolumes(r -> r.volumeIds(volumeId)).volumes().get(0).attachments().stream()
                .anyMatch(a -> instanceId.equals(a.instanceId()) && "/dev/sdf".equals(a.device())));
    }

    @Test
    void helperTerminatedUnderwayIsHelperFailed() {
        Map<String, Object> resources = f.helperLaunched();
        f.aws.ec2().terminateInstances(r -> r.instanceIds(Fixture.id(resources, Resources.INSTANCE_ID)));
        Expect.named(ErrorName.HelperFailed, "is shutting-down",
                () -> handler.handleRequest(f.check(resources, Map.of(), "WaitForHelper"), null));
    }

    @Test
    void helperThatShutItselfDownIsHelperFailed() {
        Map<String, Object> resources = f.helperLaunched();
        f.aws.clock().advance(f.aws.timings().instancePending);
        f.aws.ec2().powerOffFromInside((String) resources.get(Resources.INSTANCE_ID));
        f.aws.clock().advance(f.aws.timings().instanceShuttingDown.plusSeconds(1));
        Expect.named(ErrorName.HelperFailed, "is terminated",
                () -> handler.handleRequest(f.check(resources, Map.of(), "WaitForHelper"), null));
    }

    @Test
    void instanceNotYetVisibleKeepsWaitingUntilTheDeadline() {
        Map<String, Object> resources = Map.of(Resources.INSTANCE_ID, "i-0123456789abcdef0");
        Map<String, Object> first = handler.handleRequest(f.check(resources, Map.of(), "WaitForHelper"), null);
        Expect.waiting(first, "unknown");
        f.aws.clock().advanceSeconds(1801);
        Map<String, Object> late = handler.handleRequest(f.check(resources, first, "WaitForHelper"), null);
        assertEquals(true, late.get("timedOut"));
    }
}
