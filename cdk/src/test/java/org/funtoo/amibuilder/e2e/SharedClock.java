package org.funtoo.amibuilder.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.funtoo.amibuilder.sim.SimClock;

/**
 * One simulated clock for executions that run at the same time (a discrete-event scheduler). An execution's Wait
 * state or retry pause does not move the clock itself: the execution sleeps until the clock reaches its wake-up
 * time, and the clock moves to the earliest wake-up only when every running execution sleeps. So no execution ever
 * sees time pass while it is working, and executions interleave exactly as their waits say.
 */
final class SharedClock {
    private final SimClock clock;
    private final Set<String> running = new HashSet<>();
    private final Map<String, Instant> sleeping = new HashMap<>();

    SharedClock(SimClock clock) {
        this.clock = clock;
    }

    /** An execution that is about to start; the clock waits for it from now on. */
    synchronized void join(String execution) {
        running.add(execution);
    }

    /** An execution that has ended; the clock no longer waits for it. */
    synchronized void leave(String execution) {
        running.remove(execution);
        sleeping.remove(execution);
        moveIfAllSleep();
    }

    /** Blocks the calling execution for {@code d} of simulated time. */
    synchronized void sleep(String execution, Duration d) throws InterruptedException {
        if (!running.contains(execution)) {
            throw new IllegalStateException(execution + " sleeps without having joined the clock");
        }
        Instant wake = clock.instant().plus(d);
        sleeping.put(execution, wake);
        moveIfAllSleep();
        while (clock.instant().isBefore(wake)) {
            wait();
        }
        sleeping.remove(execution);
    }

    private void moveIfAllSleep() {
        if (running.isEmpty() || !sleeping.keySet().containsAll(running)) {
            return;
        }
        Instant next = sleeping.values().stream().min(Instant::compareTo).orElseThrow();
        Instant now = clock.instant();
        if (next.isAfter(now)) {
            // nobody is due yet (an execution woken before has left sleeping): jump to the earliest wake-up
            clock.advance(Duration.between(now, next));
            notifyAll();
        }
    }
}
