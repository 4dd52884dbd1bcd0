package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.funtoo.amibuilder.sim.SimClock;
import org.junit.jupiter.api.Test;

class PollStateTest {
    private final SimClock clock = new SimClock(Instant.parse("2026-01-01T00:00:00Z"));
    private static final Map<String, Object> LOOP = Map.of("name", "WaitForSnapshot", "deadlineSeconds", 600,
            "minWaitSeconds", 10, "maxWaitSeconds", 120);

    @Test
    void firstCheckOfALoopStartsItNow() {
        Map<String, Object> poll = PollState.next(doc(Map.of(), LOOP), clock).waiting("pending", 30);
        assertEquals("WaitForSnapshot", poll.get("loop"));
        assertEquals("2026-01-01T00:00:00Z", poll.get("startedAt"));
        assertEquals(1L, poll.get("attempts"));
        assertEquals(false, poll.get("done"));
        assertEquals(false, poll.get("timedOut"));
        assertEquals(30L, poll.get("waitSeconds"));
    }

    @Test
    void laterChecksOfTheSameLoopKeepStartAndCountAttempts() {
        Map<String, Object> first = PollState.next(doc(Map.of(), LOOP), clock).waiting("pending", 30);
        clock.advanceSeconds(30);
        Map<String, Object> second = PollState.next(doc(first, LOOP), clock).waiting("pending", 30);
        assertEquals("2026-01-01T00:00:00Z", second.get("startedAt"));
        assertEquals(2L, second.get("attempts"));
    }

    @Test
    void aDifferentLoopNameRestartsTheCounters() {
        Map<String, Object> helper = PollState.next(doc(Map.of(), Map.of("name", "WaitForHelper")), clock)
                .done("running");
        clock.advanceSeconds(90);
        Map<String, Object> snapshot = PollState.next(doc(helper, LOOP), clock).waiting("pending", 30);
        assertEquals("2026-01-01T00:01:30Z", snapshot.get("startedAt"));
        assertEquals(1L, snapshot.get("attempts"));
    }

    @Test
    void waitSecondsIsClampedToTheLoopsBounds() {
        PollState state = PollState.next(doc(Map.of(), LOOP), clock);
        assertEquals(10L, state.waiting("pending", 1).get("waitSeconds"));
        assertEquals(120L, state.waiting("pending", 5000).get("waitSeconds"));
    }

    @Test
    void timedOutOnlyOncePastTheDeadlineByTheInjectedClock() {
        Map<String, Object> first = PollState.next(doc(Map.of(), LOOP), clock).waiting("pending", 30);
        clock.advanceSeconds(600);
        Map<String, Object> atDeadline = PollState.next(doc(first, LOOP), clock).waiting("pending", 30);
        assertEquals(false, atDeadline.get("timedOut"));
        clock.advanceSeconds(1);
        Map<String, Object> past = PollState.next(doc(atDeadline, LOOP), clock).waiting("pending", 30);
        assertEquals(true, past.get("timedOut"));
        assertEquals(3L, past.get("attempts"));
    }

    @Test
    void doneIsNeverTimedOutAndCarriesTheFacts() {
        Map<String, Object> first = PollState.next(doc(Map.of(), LOOP), clock).waiting("pending", 30);
        clock.advanceSeconds(10_000);
        Map<String, Object> done = PollState.next(doc(first, LOOP), clock)
                .done("completed", Map.of("targetVolumeId", "vol-1"));
        assertEquals(true, done.get("done"));
        assertEquals(false, done.get("timedOut"));
        assertEquals("vol-1", done.get("targetVolumeId"));
    }

    @Test
    void pastDeadlineOnlyOnceMoreThanTheDeadlineHasElapsed() {
        Map<String, Object> first = PollState.next(doc(Map.of(), LOOP), clock).waiting("pending", 30);
        clock.advanceSeconds(600);
        assertEquals(false, PollState.next(doc(first, LOOP), clock).pastDeadline());
        clock.advanceSeconds(1);
        assertEquals(true, PollState.next(doc(first, LOOP), clock).pastDeadline());
    }

    private static StateDocument doc(Map<String, Object> poll, Map<String, Object> loop) {
        Map<String, Object> input = new HashMap<>();
        input.put("poll", poll);
        input.put("loop", loop);
        return StateDocument.of(input);
    }
}
