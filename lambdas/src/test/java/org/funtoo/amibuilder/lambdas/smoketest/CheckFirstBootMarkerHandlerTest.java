package org.funtoo.amibuilder.lambdas.smoketest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.BootBehaviour;
import org.junit.jupiter.api.Test;

class CheckFirstBootMarkerHandlerTest {
    private static final String LOOP = "WaitForFirstBootMarker";
    private final Fixture f = new Fixture();
    private final CheckFirstBootMarkerHandler handler = new CheckFirstBootMarkerHandler(f.deps());

    @Test
    void markerNamingThisInstanceEndsTheLoop() {
        f.aws.ec2().defaultBoot(BootBehaviour.boots(Fixture.FIRST_BOOT_CONSOLE));
        Map<String, Object> resources = running();

        Expect.done(check(resources, Map.of()), "marker");
    }

    @Test
    void consolePostedLateIsAwaitedNotFailed() {
        f.aws.timings().consoleOutput = Duration.ofMinutes(3);
        f.aws.ec2().defaultBoot(BootBehaviour.boots(Fixture.FIRST_BOOT_CONSOLE));
        Map<String, Object> resources = running();

        Map<String, Object> poll = check(resources, Map.of());
        Expect.waiting(poll, "no-output");
        f.aws.clock().advance(Duration.ofMinutes(3));
        Expect.done(check(resources, poll), "marker");
    }

    @Test
    void markerOfAnotherInstanceDoesNotCount() {
        f.aws.ec2().defaultBoot(BootBehaviour.boots("booting\n" + CheckFirstBootMarkerHandler.FIRST_BOOT_OK
                + "i-0123456789abcdef0\nlogin: "));
        Expect.waiting(check(running(), Map.of()), "no-marker");
    }

    @Test
    void firstBootServiceReportingFailureFailsAtOnceWithItsReason() {
        f.aws.ec2().defaultBoot(BootBehaviour.boots("booting\n" + CheckFirstBootMarkerHandler.FIRST_BOOT_FAILED
                + "no IMDSv2 session token from http://169.254.169.254\nlogin: "));
        Expect.named(ErrorName.SmokeTestFailed, "its first-boot service failed (no IMDSv2 session token",
                () -> check(running(), Map.of()));
    }

    @Test
    void noMarkerByTheDeadlineIsSmokeTestFailedWithTheLastConsoleLines() {
        String console = IntStream.rangeClosed(1, 40).mapToObj(i -> "boot line " + i)
                .collect(Collectors.joining("\n"));
        f.aws.ec2().defaultBoot(BootBehaviour.boots(console));
        Map<String, Object> resources = running();
        Map<String, Object> poll = check(resources, Map.of());
        Expect.waiting(poll, "no-marker");

        f.aws.clock().advance(Duration.ofSeconds(1801));

        BuildFailure failure = Expect.named(ErrorName.SmokeTestFailed, "no first-boot marker",
                () -> check(resources, poll));
        assertTrue(failure.getMessage().endsWith("boot line 16\nboot line 17\n" + IntStream.rangeClosed(18, 40)
                .mapToObj(i -> "boot line " + i).collect(Collectors.joining("\n"))), failure.getMessage());
        assertFalse(failure.getMessage().contains("boot line 15\n"), "only the last 25 lines");
    }

    @Test
    void emptyConsoleByTheDeadlineSaysSo() {
        f.aws.timings().consoleOutput = Duration.ofHours(2);
        Map<String, Object> resources = running();
        Map<String, Object> poll = check(resources, Map.of());
        f.aws.clock().advance(Duration.ofSeconds(1801));
        Expect.named(ErrorName.SmokeTestFailed, "(the serial console is empty)", () -> check(resources, poll));
    }

    @Test
    void markersAreTheLinesTheImagesFirstBootServicePrints() throws Exception {
        String script = Files.readString(Path.of(System.getProperty("amibuilder.repoRoot", ".."))
                .resolve("bootstrap-scripts/firstboot/ami-firstboot.sh"));
        assertTrue(script.contains("printf 'funtoo-ami-builder: %s\\n' \"$*\" >\"$CONSOLE\""), "marker() format");
        assertTrue(script.contains("marker \"first-boot ok instance=$instance_id\""), "success marker");
        assertTrue(script.contains("marker \"first-boot failed: $*\""), "failure marker");
        assertEquals("funtoo-ami-builder: " + "first-boot ok instance=", CheckFirstBootMarkerHandler.FIRST_BOOT_OK);
        assertEquals("funtoo-ami-builder: " + "first-boot failed: ", CheckFirstBootMarkerHandler.FIRST_BOOT_FAILED);
    }

    /** The test instance has passed its status checks. */
    private Map<String, Object> running() {
        Map<String, Object> resources = f.testInstanceLaunched();
        f.aws.clock().advance(f.aws.timings().instancePending.plus(f.aws.timings().statusChecksOk));
        return resources;
    }

    private Map<String, Object> check(Map<String, Object> resources, Map<String, Object> poll) {
        return handler.handleRequest(f.check(resources, poll, LOOP), null);
    }
}
