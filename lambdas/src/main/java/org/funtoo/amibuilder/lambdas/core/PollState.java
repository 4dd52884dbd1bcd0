package org.funtoo.amibuilder.lambdas.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wait-loop contract (ARCHITECTURE.md, "The wait loop"), written once. A check handler starts from the
 * document, says what it saw ({@link #done} or {@link #waiting} with an estimate) and returns the new {@code poll}.
 *
 * <p>The loop restarts ({@code startedAt} = now, {@code attempts} = 1) when the previous {@code poll.loop} is a
 * different loop, so no state is needed to reset between loops.
 */
public final class PollState {
    private final String loop;
    private final Instant startedAt;
    private final long attempts;
    private final long deadlineSeconds;
    private final long minWaitSeconds;
    private final long maxWaitSeconds;
    private final Instant now;

    private PollState(String loop, Instant startedAt, long attempts, long deadlineSeconds, long minWaitSeconds,
                      long maxWaitSeconds, Instant now) {
        this.loop = loop;
        this.startedAt = startedAt;
        this.attempts = attempts;
        this.deadlineSeconds = deadlineSeconds;
        this.minWaitSeconds = minWaitSeconds;
        this.maxWaitSeconds = maxWaitSeconds;
        this.now = now;
    }

    public static PollState next(StateDocument doc, Clock clock) {
        Section loop = doc.loop();
        Section previous = doc.poll();
        String name = loop.requireString("name");
        long min = loop.number("minWaitSeconds", 5);
        long max = Math.max(min, loop.number("maxWaitSeconds", 300));
        long deadline = loop.number("deadlineSeconds", 3600);
        Instant now = clock.instant();
        boolean sameLoop = previous.string("loop").filter(name::equals).isPresent();
        Instant startedAt = sameLoop ? previous.string("startedAt").map(Instant::parse).orElse(now) : now;
        long attempts = sameLoop ? previous.number("attempts", 0) + 1 : 1;
        return new PollState(name, startedAt, attempts, deadline, min, max, now);
    }

    public Duration elapsed() {
        return Duration.between(startedAt, now);
    }

    /**
     * The loop's deadline has passed. A check whose timeout is a verdict on the thing awaited (the smoke test's
     * instance never became healthy) throws its named error with what it saw instead of returning {@code timedOut}.
     */
    public boolean pastDeadline() {
        return elapsed().getSeconds() > deadlineSeconds;
    }

    /** The thing awaited is ready; {@code facts} are extra fields later states read from {@code poll}. */
    public Map<String, Object> done(String state, Map<String, Object> facts) {
        Map<String, Object> poll = base(state, true, false);
        poll.put("waitSeconds", minWaitSeconds);
        poll.putAll(facts);
        return poll;
    }

    public Map<String, Object> done(String state) {
        return done(state, Map.of());
    }

    /** Not ready; look again in about {@code estimateSeconds}, clamped to the loop's bounds. */
    public Map<String, Object> waiting(String state, long estimateSeconds) {
        boolean timedOut = pastDeadline();
        Map<String, Object> poll = base(state, false, timedOut);
        poll.put("waitSeconds", Math.max(minWaitSeconds, Math.min(maxWaitSeconds, estimateSeconds)));
        return poll;
    }

    private Map<String, Object> base(String state, boolean done, boolean timedOut) {
        Map<String, Object> poll = new LinkedHashMap<>();
        poll.put("loop", loop);
        poll.put("startedAt", startedAt.toString());
        poll.put("attempts", attempts);
        poll.put("done", done);
        poll.put("timedOut", timedOut);
        poll.put("state", state);
        return poll;
    }
}
