package org.funtoo.amibuilder.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.sim.CallLog;
import org.funtoo.amibuilder.sim.SimTimings;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * Figures of a default build (`{}` input, temporary network) with realistic simulated durations: simulated
 * wall time, detection latency (time spent waiting after the awaited thing was already done), state transitions
 * (Step Functions bills per transition) and Lambda invocations — for the workflow as built (each check suggests its
 * next wait) and, in the same run, for plain polling at each loop's minimum interval, as ratios.
 *
 * <p>Run: {@code mvn -B -q -DskipTests package && java -cp "cdk/target/test-classes:cdk/target/classes:$(cat
 * cdk/target/test-classpath.txt)" org.funtoo.amibuilder.e2e.WorkflowBenchmark}
 * (from the repository root, after {@code npm ci}).
 */
public final class WorkflowBenchmark {

    record Figures(String variant, Duration wall, Duration latency, Map<String, Duration> latencyPerLoop,
                   long transitions, long invocations) {
    }

    public static void main(String[] args) {
        Figures adaptive = run("adaptive waits (as built)", false);
        Figures fixed = run("fixed minimum interval", true);
        for (Figures f : List.of(adaptive, fixed)) {
            System.out.printf("%-28s wall %s  detection latency %s (%.1f%% of wall)  transitions %d  lambda invocations %d%n",
                    f.variant(), f.wall(), f.latency(), 100.0 * f.latency().toMillis() / f.wall().toMillis(),
                    f.transitions(), f.invocations());
            System.out.println("    latency per loop: " + f.latencyPerLoop());
        }
        System.out.printf("ratios as built / fixed: transitions %.2f, invocations %.2f, detection latency %.2f, wall %.3f%n",
                (double) adaptive.transitions() / fixed.transitions(),
                (double) adaptive.invocations() / fixed.invocations(),
                (double) adaptive.latency().toMillis() / Math.max(1, fixed.latency().toMillis()),
                (double) adaptive.wall().toMillis() / fixed.wall().toMillis());
        System.out.println("timings: instance 30 s to running, SSM online 40 s later, bootstrap 12 min, snapshot 8 min,"
                + " image 2 min after the snapshot, status checks ok 60 s after running, termination 20 s");
        System.exit(0);
    }

    private static Figures run(String variant, boolean fixedMinimum) {
        try (OfflineBuild account = new OfflineBuild(SimTimings.realistic())) {
            account.host.pollAtFixedMinimumInterval(fixedMinimum);
            Instant start = account.aws.clock().instant();
            LocalExecution.Result r = account.build("bench", "{}");
            if (!r.succeeded()) {
                throw new IllegalStateException(variant + ": " + r.error() + " " + r.cause());
            }
            Duration wall = Duration.between(start, account.aws.clock().instant());
            Map<String, Duration> latency = detectionLatency(account);
            Duration total = latency.values().stream().reduce(Duration.ZERO, Duration::plus);
            return new Figures(variant, wall, total, latency, r.stateTransitions(), account.host.invocations().size());
        }
    }

    /**
     * For each wait loop: when its check first answered done, minus when the thing was done in the simulation
     * (computed from the call that started it and the simulated durations, or read back from the simulation).
     */
    private static Map<String, Duration> detectionLatency(OfflineBuild account) {
        SimTimings t = account.aws.timings();
        Map<String, Duration> out = new LinkedHashMap<>();
        Instant running = firstCall(account, "RunInstances", "LaunchHelperInstance").plus(t.instancePending);
        out.put("WaitForHelperRunning", Duration.between(running, detected(account, "CheckHelperInstanceRunning")));
        Instant online = running.plus(t.ssmAgentOnline);
        out.put("WaitForSsmAgent", Duration.between(online, detected(account, "CheckSsmAgent")));
        String commandId = account.host.invocations().stream().filter(i -> i.state().equals("SendBootstrapCommand"))
                .reduce((a, b) -> b).orElseThrow().result().path("commandId").asText();
        String instanceId = account.host.invocations().stream().filter(i -> i.state().equals("SendBootstrapCommand"))
                .reduce((a, b) -> b).orElseThrow().result().path("instanceId").asText();
        Instant bootstrapped = Instant.parse(account.aws.ssm().getCommandInvocation(b -> b.commandId(commandId)
                .instanceId(instanceId).pluginName("RunBootstrap")).executionEndDateTime());
        out.put("WaitForBootstrap", Duration.between(bootstrapped, detected(account, "GetBootstrapCommand")));
        Snapshot snapshot = account.aws.ec2().describeSnapshots(b -> b.ownerIds("self")).snapshots().get(0);
        Instant snapshotDone = snapshot.startTime().plus(t.snapshot);
        out.put("WaitForSnapshot", Duration.between(snapshotDone, detected(account, "CheckSnapshotCompleted")));
        Instant registered = firstCall(account, "RegisterImage", "RegisterImage");
        Instant available = (registered.isAfter(snapshotDone) ? registered : snapshotDone).plus(t.image);
        out.put("WaitForImage", Duration.between(available, detected(account, "CheckImageAvailable")));
        Instant testRunning = firstCall(account, "RunInstances", "LaunchTestInstance").plus(t.instancePending);
        Instant healthy = testRunning.plus(t.statusChecksOk);
        out.put("WaitForTestInstanceStatus", Duration.between(healthy, detected(account, "CheckTestInstanceStatus")));
        Instant console = testRunning.plus(t.consoleOutput);
        Instant markerSeenFrom = console.isAfter(healthy) ? console : healthy;
        out.put("WaitForFirstBootMarker", Duration.between(markerSeenFrom, detected(account, "CheckFirstBootMarker")));
        Instant testTerminated = firstCall(account, "TerminateInstances", "TerminateTestInstance")
                .plus(t.instanceShuttingDown);
        out.put("WaitForTestInstanceTerminated",
                Duration.between(testTerminated, detected(account, "CheckTestInstanceTerminated")));
        Instant terminated = firstCall(account, "TerminateInstances", "TerminateInstancesHandler")
                .plus(t.instanceShuttingDown);
        out.put("WaitForInstancesTerminated", Duration.between(terminated, detected(account, "CheckInstancesTerminated")));
        return out;
    }

    /** The first successful call of {@code operation} by a function whose logical id starts with {@code caller}. */
    private static Instant firstCall(OfflineBuild account, String operation, String caller) {
        List<CallLog.Call> calls = new ArrayList<>(account.aws.calls().matching(
                c -> c.operation().equals(operation) && c.succeeded() && c.caller().startsWith(caller)));
        if (calls.isEmpty()) {
            throw new IllegalStateException("no " + operation + " by " + caller);
        }
        return calls.get(0).at();
    }

    private static Instant detected(OfflineBuild account, String checkState) {
        return account.host.invocations().stream()
                .filter(i -> i.state().equals(checkState) && i.result() != null && i.result().path("done").asBoolean())
                .findFirst().orElseThrow(() -> new IllegalStateException(checkState + " never answered done")).at();
    }

    private WorkflowBenchmark() {
    }
}
