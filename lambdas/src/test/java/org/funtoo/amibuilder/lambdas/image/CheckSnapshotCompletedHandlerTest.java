package org.funtoo.amibuilder.lambdas.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Snapshot;

class CheckSnapshotCompletedHandlerTest {
    private static final String LOOP = "WaitForSnapshot";
    private final Fixture f = new Fixture();
    private final CheckSnapshotCompletedHandler handler = new CheckSnapshotCompletedHandler(f.deps());

    @Test
    void waitsWithAnEstimateFromProgressThenCompletes() {
        Map<String, Object> resources = f.snapshotted();
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), LOOP), null);
        Expect.waiting(poll, "pending");
        f.aws.clock().advance(f.aws.timings().snapshot.dividedBy(4));
        poll = handler.handleRequest(f.check(resources, poll, LOOP), null);
        Expect.waiting(poll, "pending");
        long wait = (Long) poll.get("waitSeconds");
        long remaining = f.aws.timings().snapshot.getSeconds() * 3 / 4;
        assertTrue(Math.abs(wait - Math.min(300, remaining)) <= 60, () -> "estimate " + wait + " vs " + remaining);
        f.aws.clock().advance(f.aws.timings().snapshot);
        Expect.done(handler.handleRequest(f.check(resources, poll, LOOP), null), "completed");
    }

    @Test
    void snapshotInErrorIsSnapshotFailed() {
        Map<String, Object> resources = f.snapshotted();
        f.aws.ec2().failSnapshot((String) resources.get("snapshotId"));
        Expect.named(ErrorName.SnapshotFailed, "snapshot " + resources.get("snapshotId") + " failed",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
    }

    @Test
    void estimateExtrapolatesTheObservedRate() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Snapshot quarter = Snapshot.builder().startTime(start).progress("25%").build();
        assertEquals(360, CheckSnapshotCompletedHandler.estimateSeconds(quarter, start.plusSeconds(120)));
        Snapshot none = Snapshot.builder().startTime(start).progress("0%").build();
        assertEquals(CheckSnapshotCompletedHandler.NO_PROGRESS_ESTIMATE_SECONDS,
                CheckSnapshotCompletedHandler.estimateSeconds(none, start.plusSeconds(120)));
    }
}
