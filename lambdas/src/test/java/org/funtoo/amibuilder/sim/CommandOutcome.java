package org.funtoo.amibuilder.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.funtoo.amibuilder.lambdas.core.BootstrapResult;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;

/**
 * How one simulated Run Command ends on an instance: after {@code duration} (counted from delivery; {@code null} =
 * {@link SimTimings#command}) with {@code status}, exit code and output. A duration beyond the document's execution
 * timeout ends as {@code TimedOut} at the timeout instead, as the agent would kill the script.
 */
public record CommandOutcome(Duration duration, CommandInvocationStatus status, int exitCode, String stdout,
                             String stderr) {

    public static final String DEFAULT_STAGE3_URL =
            "https://build.funtoo.org/next/x86-64bit/generic_64/stage3-latest.tar.xz";
    public static final String DEFAULT_STAGE3_SHA256 =
            "112e5aafcefefa34fb640128d5ea161ce86e381f90e2849bf75151812345989a";
    public static final String DEFAULT_KERNEL = "6.1.0";
    /** The phases of bootstrap.sh (lib/phases) and how long each took in the default outcome. */
    public static final Map<String, Long> DEFAULT_PHASES = phases("check-helper", 12, "find-disk", 1,
            "fetch-stage3", 95, "partition", 3, "extract", 40, "chroot", 180, "configure", 1500, "first-boot", 1,
            "bootloader", 30, "scrub", 4, "finish", 9);
    /** The line bootstrap.sh ends a successful run with; the document copies the log's tail to stderr. */
    public static final String DEFAULT_RESULT_LINE = new BootstrapResult(DEFAULT_STAGE3_URL, DEFAULT_STAGE3_SHA256,
            DEFAULT_KERNEL, DEFAULT_PHASES).line();

    /** Longer than any execution timeout SSM accepts: the script never finishes on its own. */
    private static final Duration FOREVER = Duration.ofDays(3650);

    private static Map<String, Long> phases(Object... nameAndSeconds) {
        Map<String, Long> phases = new LinkedHashMap<>();
        for (int i = 0; i < nameAndSeconds.length; i += 2) {
            phases.put((String) nameAndSeconds[i], ((Number) nameAndSeconds[i + 1]).longValue());
        }
        return phases;
    }

    public CommandOutcome {
        Objects.requireNonNull(status, "status");
        if (status != CommandInvocationStatus.SUCCESS && status != CommandInvocationStatus.FAILED
                && status != CommandInvocationStatus.TIMED_OUT && status != CommandInvocationStatus.CANCELLED) {
            throw new IllegalArgumentException("a command ends Success, Failed, TimedOut or Cancelled: " + status);
        }
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    /** The bootstrap as it ends when everything works: progress on stdout, the log tail with the result on stderr. */
    public static CommandOutcome bootstrapSucceeds() {
        return new CommandOutcome(null, CommandInvocationStatus.SUCCESS, 0, "==> bootstrap done",
                "==> kernel: installed " + DEFAULT_KERNEL + "\n==> bootstrap done\n" + DEFAULT_RESULT_LINE + "\n");
    }

    /** bootstrap.sh exits 1 and its last line (the end of stderr) says why. */
    public static CommandOutcome bootstrapFails(String reason) {
        return new CommandOutcome(null, CommandInvocationStatus.FAILED, 1, "==> stage3: downloading",
                "==> stage3: downloading\n" + reason + "\n");
    }

    public static CommandOutcome succeeds(String stdout, String stderr) {
        return new CommandOutcome(null, CommandInvocationStatus.SUCCESS, 0, stdout, stderr);
    }

    public static CommandOutcome fails(int exitCode, String stdout, String stderr) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("a failed script exits non-zero");
        }
        return new CommandOutcome(null, CommandInvocationStatus.FAILED, exitCode, stdout, stderr);
    }

    /** The script hangs: the invocation stays InProgress until the execution timeout ends it as TimedOut. */
    public static CommandOutcome neverFinishes() {
        return new CommandOutcome(FOREVER, CommandInvocationStatus.SUCCESS, 0, "", "");
    }

    public CommandOutcome after(Duration d) {
        return new CommandOutcome(Objects.requireNonNull(d), status, exitCode, stdout, stderr);
    }

    Duration durationOr(Duration fallback) {
        return duration == null ? fallback : duration;
    }
}
