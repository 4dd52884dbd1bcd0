package org.funtoo.amibuilder.lambdas.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.funtoo.amibuilder.lambdas.core.BootstrapResult;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.CommandOutcome;
import org.funtoo.amibuilder.sim.CommandScript;
import org.junit.jupiter.api.Test;

class GetBootstrapCommandHandlerTest {
    private static final String LOOP = "WaitForBootstrap";
    private final Fixture f = new Fixture();
    private final GetBootstrapCommandHandler handler = new GetBootstrapCommandHandler(f.deps());

    @Test
    void waitsWhileRunningThenReportsTheResultLine() {
        Map<String, Object> resources = f.bootstrapSent();
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), LOOP), null);
        Expect.waiting(poll, "Pending");
        f.aws.clock().advanceSeconds(30);
        poll = handler.handleRequest(f.check(resources, poll, LOOP), null);
        Expect.waiting(poll, "InProgress");
        f.aws.clock().advance(f.aws.timings().command);
        poll = handler.handleRequest(f.check(resources, poll, LOOP), null);
        Expect.done(poll, "Success");
        assertEquals(CommandOutcome.DEFAULT_STAGE3_URL, poll.get("stage3Url"));
        assertEquals(CommandOutcome.DEFAULT_STAGE3_SHA256, poll.get("stage3Sha256"));
        assertEquals(CommandOutcome.DEFAULT_KERNEL, poll.get("kernel"));
    }

    @Test
    void phaseTimingsOfTheResultLineAreReportedInOrder() {
        Map<String, Object> resources = f.bootstrapSent();
        f.aws.clock().advance(f.aws.timings().command.plusMinutes(1));
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), LOOP), null);
        Expect.done(poll, "Success");
        assertEquals("check-helper:12,find-disk:1,fetch-stage3:95,partition:3,extract:40,chroot:180,configure:1500,"
                + "first-boot:1,bootloader:30,scrub:4,finish:9", poll.get("bootstrapPhases"));
        assertEquals(CommandOutcome.DEFAULT_PHASES, BootstrapResult.parsePhases((String) poll.get("bootstrapPhases")));
    }

    @Test
    void resultLineWithoutPhasesIsStillAResult() {
        String line = "AMI-BUILD-RESULT stage3_url=" + CommandOutcome.DEFAULT_STAGE3_URL + " stage3_sha256="
                + CommandOutcome.DEFAULT_STAGE3_SHA256 + " kernel=6.6.13";
        f.aws.ssm().scriptCommands(CommandScript.inOrder(CommandOutcome.succeeds("", "==> finish: done\n" + line + "\n")));
        Map<String, Object> resources = f.bootstrapSent();
        f.aws.clock().advance(f.aws.timings().command.plusMinutes(1));
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), LOOP), null);
        Expect.done(poll, "Success");
        assertEquals("6.6.13", poll.get("kernel"));
        assertEquals("", poll.get("bootstrapPhases"));
    }

    @Test
    void resultLineWithAMalformedPhaseListIsNoResult() {
        String line = CommandOutcome.DEFAULT_RESULT_LINE.replaceFirst("phases=.*", "phases=check-helper:3s");
        f.aws.ssm().scriptCommands(CommandScript.inOrder(CommandOutcome.succeeds("", line + "\n")));
        Map<String, Object> resources = f.bootstrapSent();
        f.aws.clock().advance(f.aws.timings().command.plusMinutes(1));
        Expect.named(ErrorName.BootstrapFailed, "printed no AMI-BUILD-RESULT line",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
    }

    @Test
    void failedBootstrapIsBootstrapFailedWithItsLastLine() {
        f.aws.ssm().scriptCommands(CommandScript.inOrder(
                CommandOutcome.bootstrapFails("stage3: sha256 mismatch for stage3-latest.tar.xz")));
        Map<String, Object> resources = f.bootstrapSent();
        f.aws.clock().advance(f.aws.timings().command.plusMinutes(1));
        BuildFailure failure = Expect.named(ErrorName.BootstrapFailed,
                "stage3: sha256 mismatch for stage3-latest.tar.xz",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
        assertTrue(failure.getMessage().contains("exit code 1"), failure.getMessage());
    }

    @Test
    void failureMessageHoldsOnlyTheLastFifteenNonEmptyLines() {
        String log = IntStream.rangeClosed(1, 40).mapToObj(i -> "line " + i + "\n\n").collect(Collectors.joining());
        f.aws.ssm().scriptCommands(CommandScript.inOrder(CommandOutcome.fails(2, "", log)));
        Map<String, Object> resources = f.bootstrapSent();
        f.aws.clock().advance(f.aws.timings().command.plusMinutes(1));
        BuildFailure failure = Expect.named(ErrorName.BootstrapFailed, "line 26\nline 27",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
        assertTrue(failure.getMessage().endsWith("line 40"), failure.getMessage());
        assertFalse(failure.getMessage().contains("line 25\n"), failure.getMessage());
    }

    @Test
    void successWithoutAResultLineIsBootstrapFailed() {
        f.aws.ssm().scriptCommands(CommandScript.inOrder(CommandOutcome.succeeds("done", "==> all good\n")));
        Map<String, Object> resources = f.bootstrapSent();
        f.aws.clock().advance(f.aws.timings().command.plusMinutes(1));
        Expect.named(ErrorName.BootstrapFailed, "printed no AMI-BUILD-RESULT line",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
    }

    @Test
    void hangingBootstrapEndsAsBootstrapFailedWhenSsmTimesItOut() {
        f.aws.ssm().scriptCommands(CommandScript.inOrder(CommandOutcome.neverFinishes()));
        Map<String, Object> resources = f.bootstrapSent();
        f.aws.clock().advance(Duration.ofHours(10));
        Expect.named(ErrorName.BootstrapFailed, "bootstrap ",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
    }

    @Test
    void lastLinesAreBoundedInLength() {
        String huge = "x".repeat(10_000);
        String tail = GetBootstrapCommandHandler.lastLines(huge + "\nreason");
        assertTrue(tail.length() <= GetBootstrapCommandHandler.FAILURE_CHARS + 3);
        assertTrue(tail.endsWith("reason"));
        assertEquals("(no output)", GetBootstrapCommandHandler.lastLines("\n \n"));
    }
}
