package org.funtoo.amibuilder.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulated account's time. Only tests move it ({@link #advance}); every state transition of a simulated
 * resource is computed from it, so a 40-minute build runs in milliseconds and its timeline is still real.
 * It is a {@link Clock}, so handlers that take a clock see the same time as the simulated AWS.
 */
public final class SimClock extends Clock {
    private Instant now;

    public SimClock(Instant start) {
        this.now = start;
    }

    public SimClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + d);
        }
        now = now.plus(d);
    }

    public void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the simulated clock is UTC only");
    }
}
