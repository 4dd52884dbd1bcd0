package org.funtoo.amibuilder.statemachine;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;

/**
 * One wait loop: what it waits for, how long it may take before the build gives up with {@code timeoutError}, and
 * the bounds of the interval between checks. The check handler estimates when to look again (remaining snapshot
 * progress, expected bootstrap duration); the loop clamps that estimate to [minWait, maxWait], so the bounds are
 * what fits the thing awaited: seconds for an instance state, minutes for a bootstrap or a snapshot.
 *
 * @param name         the Wait state's name and {@code loop.name}; the check handler restarts its counters when
 *                     {@code poll.loop} differs from it
 * @param checkHandler the handler class that looks once and returns the new {@code poll}
 * @param doneChoice   the Choice state's name, a question ({@code SnapshotCompleted?})
 */
public record LoopSpec(String name, String checkHandler, String doneChoice, String timeoutError,
                       Duration deadline, Duration minWait, Duration maxWait) {

    public LoopSpec {
        if (minWait.toSeconds().intValue() < 1 || minWait.toSeconds().intValue() > maxWait.toSeconds().intValue()) {
            throw new IllegalArgumentException(name + ": need 1 <= minWait <= maxWait");
        }
        if (deadline.toSeconds().intValue() <= maxWait.toSeconds().intValue()) {
            throw new IllegalArgumentException(name + ": the deadline must allow more than one wait");
        }
    }

    public static LoopSpec helperRunning() {
        return new LoopSpec("WaitForHelperRunning", Handlers.CHECK_HELPER_INSTANCE_RUNNING, "HelperRunning?",
                "HelperInstanceTimeout", Duration.minutes(10), Duration.seconds(5), Duration.seconds(15));
    }

    public static LoopSpec ssmAgentOnline() {
        return new LoopSpec("WaitForSsmAgent", Handlers.CHECK_SSM_AGENT, "SsmAgentOnline?",
                "SsmAgentTimeout", Duration.minutes(10), Duration.seconds(10), Duration.seconds(30));
    }

    public static LoopSpec bootstrap(Duration deadline) {
        return new LoopSpec("WaitForBootstrap", Handlers.GET_BOOTSTRAP_COMMAND, "BootstrapCompleted?",
                "BootstrapTimeout", deadline, Duration.seconds(30), Duration.minutes(5));
    }

    public static LoopSpec snapshot() {
        return new LoopSpec("WaitForSnapshot", Handlers.CHECK_SNAPSHOT_COMPLETED, "SnapshotCompleted?",
                "SnapshotTimeout", Duration.hours(2), Duration.seconds(30), Duration.minutes(5));
    }

    /** AMI {@code pending} is healthy and can last long after the snapshot completed: a long deadline. */
    public static LoopSpec image() {
        return new LoopSpec("WaitForImage", Handlers.CHECK_IMAGE_AVAILABLE, "ImageAvailable?",
                "ImageTimeout", Duration.hours(2), Duration.seconds(15), Duration.minutes(2));
    }

    /**
     * Both EC2 status checks of the test instance. The check handler itself ends the loop at its deadline with
     * {@code SmokeTestFailed} and the console's last lines, so the named timeout is only a backstop.
     */
    public static LoopSpec testInstanceStatus() {
        return new LoopSpec("WaitForTestInstanceStatus", Handlers.CHECK_TEST_INSTANCE_STATUS, "TestInstanceHealthy?",
                "TestInstanceStatusTimeout", Duration.minutes(15), Duration.seconds(10), Duration.seconds(30));
    }

    /** The first-boot marker on the serial console, which EC2 may post minutes late; ends like the one above. */
    public static LoopSpec firstBootMarker() {
        return new LoopSpec("WaitForFirstBootMarker", Handlers.CHECK_FIRST_BOOT_MARKER, "FirstBootMarkerSeen?",
                "FirstBootMarkerTimeout", Duration.minutes(10), Duration.seconds(10), Duration.seconds(30));
    }

    public static LoopSpec testInstanceTerminated() {
        return new LoopSpec("WaitForTestInstanceTerminated", Handlers.CHECK_TEST_INSTANCE_TERMINATED,
                "TestInstanceTerminated?", "TestInstanceTerminationTimeout",
                Duration.minutes(15), Duration.seconds(5), Duration.seconds(20));
    }

    /** Cross-region copies take minutes to hours, depending on size and distance. */
    public static LoopSpec imageCopies() {
        return new LoopSpec("WaitForImageCopies", Handlers.CHECK_IMAGE_COPIES, "ImageCopiesAvailable?",
                "ImageCopyTimeout", Duration.hours(3), Duration.seconds(30), Duration.minutes(5));
    }

    public static LoopSpec instancesTerminated() {
        return new LoopSpec("WaitForInstancesTerminated", Handlers.CHECK_INSTANCES_TERMINATED,
                "InstancesTerminated?", "TerminationTimeout",
                Duration.minutes(15), Duration.seconds(5), Duration.seconds(20));
    }

    /** The {@code loop} object handed to the check handler (lambdas README, "Wait loops"). */
    Map<String, Object> loopParameter() {
        Map<String, Object> loop = new LinkedHashMap<>();
        loop.put("name", name);
        loop.put("deadlineSeconds", deadline.toSeconds());
        loop.put("minWaitSeconds", minWait.toSeconds());
        loop.put("maxWaitSeconds", maxWait.toSeconds());
        return loop;
    }
}
