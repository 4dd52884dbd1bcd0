package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.sim.SimQuotas;
import org.funtoo.amibuilder.sim.SimResource;
import org.funtoo.amibuilder.sim.SimTimings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ten builds started at the same moment in one account and region with AWS's default quotas (5 VPCs, 5 internet
 * gateways, 5 running Standard vCPUs), on one simulated clock: Funtoo and Gentoo, x86_64 and arm64, temporary
 * networks and one existing network that four of them share. Over a quota a build waits (AwsNotReady, retried
 * until its deadline); none may fail because the others exist, and afterwards the account holds exactly what the
 * builds delivered.
 */
class TenBuildsAtOnceEndToEndTest {
    private final OfflineBuild account = new OfflineBuild(SimTimings.realistic());

    @AfterEach
    void close() {
        account.close();
    }

    @Test
    void tenConcurrentBuildsWithDefaultQuotasAllSucceedAndLeaveOnlyWhatTheyDelivered() {
        ExistingNetwork network = ExistingNetwork.create(account.aws.ec2());
        String existing = "\"network\": {\"subnetId\": \"" + network.subnetId() + "\", \"securityGroupId\": \""
                + network.securityGroupId() + "\"}";
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("batch-01", input("funtoo", "x86_64", null, "a"));
        // Funtoo builds x86_64 only (the first state refuses funtoo on arm64: its stage3 has no kernel)
        inputs.put("batch-02", input("gentoo", "arm64", null, "b"));
        inputs.put("batch-03", input("gentoo", "x86_64", null, "c"));
        inputs.put("batch-04", input("gentoo", "arm64", null, "d"));
        inputs.put("batch-05", input("funtoo", "x86_64", "\"helper\": {\"spot\": true}", "e"));
        inputs.put("batch-06", input("gentoo", "x86_64", null, "f"));
        inputs.put("batch-07", input("funtoo", "x86_64", existing, "g"));
        inputs.put("batch-08", input("gentoo", "arm64", existing, "h"));
        inputs.put("batch-09", input("gentoo", "arm64", existing, "i"));
        inputs.put("batch-10", input("gentoo", "x86_64", existing, "j"));
        List<SimResource> before = account.aws.inventory();
        assertEquals(SimQuotas.Quota.STANDARD_ON_DEMAND_VCPUS.defaultValue(),
                account.aws.quotas().limit("us-east-1", SimQuotas.Quota.STANDARD_ON_DEMAND_VCPUS), "default quotas");

        List<OfflineBuild.Timed> builds = account.buildTogether(inputs);

        for (OfflineBuild.Timed b : builds) {
            assertEquals("SUCCEEDED", b.result().status(), () -> b.buildId() + ": " + b.result().error() + ": "
                    + b.result().cause());
        }
        Set<String> delivered = new TreeSet<>();
        builds.forEach(b -> {
            delivered.add("image " + b.result().output().path("imageId").asText());
            delivered.add("snapshot " + b.result().output().path("snapshotId").asText());
            delivered.add("ssm-parameter " + b.result().output().path("ssmParameter").asText());
        });
        Set<String> added = account.aws.inventory().stream().filter(r -> !before.contains(r))
                .map(r -> r.type() + " " + r.id()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(delivered, added, "the account holds exactly the delivered images, snapshots and parameters");
        account.assertEveryCallAllowed("ten builds at once");

        Duration batch = builds.stream().map(OfflineBuild.Timed::end).max(java.time.Instant::compareTo).map(end ->
                Duration.between(builds.get(0).start(), end)).orElseThrow();
        Duration slowest = builds.stream().map(OfflineBuild.Timed::took).max(Duration::compareTo).orElseThrow();
        Duration waitingForCapacity = builds.stream().map(b -> b.result().retryPausesFor(ErrorName.AwsNotReady.errorType()))
                .reduce(Duration.ZERO, Duration::plus);
        Duration longestWait = builds.stream().map(b -> b.result().retryPausesFor(ErrorName.AwsNotReady.errorType()))
                .max(Duration::compareTo).orElseThrow();
        long transitions = builds.stream().mapToLong(b -> b.result().stateTransitions()).sum();
        assertTrue(waitingForCapacity.compareTo(Duration.ZERO) > 0, "the default quotas made builds wait");
        System.out.printf("ten builds at once: %d of %d succeeded; simulated wall time of the batch %s, of the"
                        + " slowest build %s; waiting for capacity %s in all, %s at most for one build; %d state"
                        + " transitions; leftovers beyond the delivered images, snapshots and parameters: %d%n",
                builds.stream().filter(b -> b.result().succeeded()).count(), builds.size(), minutes(batch),
                minutes(slowest), minutes(waitingForCapacity), minutes(longestWait), transitions,
                added.size() - delivered.size());
    }

    private static String input(String distribution, String architecture, String more, String name) {
        return "{\"distribution\": \"" + distribution + "\", \"architecture\": \"" + architecture + "\","
                + " \"image\": {\"name\": \"" + distribution + "-" + architecture + "-" + name + "-{timestamp}\"}"
                + (more == null ? "" : ", " + more) + "}";
    }

    private static String minutes(Duration d) {
        return String.format("%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }
}
