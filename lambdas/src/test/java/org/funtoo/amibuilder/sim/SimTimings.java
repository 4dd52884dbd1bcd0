package org.funtoo.amibuilder.sim;

import java.time.Duration;

/**
 * How long simulated things take. Defaults are the realistic figures the benchmark uses; tests that do not care
 * about time may use {@link #fast()}.
 */
public final class SimTimings {
    /** RunInstances → running. */
    public Duration instancePending = Duration.ofSeconds(30);
    /** TerminateInstances → terminated (shutting-down in between). */
    public Duration instanceShuttingDown = Duration.ofSeconds(20);
    /** stopping → stopped. */
    public Duration instanceStopping = Duration.ofSeconds(20);
    /** running → SSM agent registered and Online; {@code null} = the agent never comes online. */
    public Duration ssmAgentOnline = Duration.ofSeconds(40);
    /** running → both status checks ok. */
    public Duration statusChecksOk = Duration.ofSeconds(60);
    /** running → the serial console's text is visible to GetConsoleOutput (AWS posts it with a delay). */
    public Duration consoleOutput = Duration.ZERO;
    /** CreateSnapshot → completed; {@code null} = never completes (stuck at some progress). */
    public Duration snapshot = Duration.ofMinutes(8);
    /** RegisterImage → available, counted from when its snapshot completed. */
    public Duration image = Duration.ofMinutes(2);
    /** CopyImage → available in the destination region. */
    public Duration imageCopy = Duration.ofMinutes(10);
    /** CreateVolume → available. */
    public Duration volumeCreating = Duration.ofSeconds(5);
    /** SendCommand → final status, unless a scenario scripts otherwise. */
    public Duration command = Duration.ofMinutes(12);

    public static SimTimings realistic() {
        return new SimTimings();
    }

    public static SimTimings fast() {
        SimTimings t = new SimTimings();
        t.instancePending = Duration.ofSeconds(5);
        t.instanceShuttingDown = Duration.ofSeconds(5);
        t.instanceStopping = Duration.ofSeconds(5);
        t.ssmAgentOnline = Duration.ofSeconds(5);
        t.statusChecksOk = Duration.ofSeconds(10);
        t.snapshot = Duration.ofSeconds(30);
        t.image = Duration.ofSeconds(10);
        t.imageCopy = Duration.ofSeconds(30);
        t.volumeCreating = Duration.ofSeconds(1);
        t.command = Duration.ofSeconds(60);
        return t;
    }
}
