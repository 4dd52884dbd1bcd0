package org.funtoo.amibuilder.sim;

import static org.funtoo.amibuilder.sim.SsmFixtures.BUILD_ID;
import static org.funtoo.amibuilder.sim.SsmFixtures.DOCUMENT;
import static org.funtoo.amibuilder.sim.SsmFixtures.INSTANCE;
import static org.funtoo.amibuilder.sim.SsmFixtures.bootstrap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ssm.model.CloudWatchOutputConfig;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandFilterKey;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.CommandStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidCommandIdException;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentException;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InvalidParametersException;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;
import software.amazon.awssdk.services.ssm.model.ValidationException;

class SimSsmCommandTest {
    private final SimAws aws = new SimAws();
    private final SsmFixtures.Instances instances = new SsmFixtures.Instances();
    private SimSsm ssm;

    @BeforeEach
    void onlineHelper() {
        ssm = SsmFixtures.ssm(aws, instances);
        SsmFixtures.onlineInstance(aws, instances);
    }

    private String send() {
        return ssm.sendCommand(bootstrap().build()).command().commandId();
    }

    private GetCommandInvocationResponse invocation(String commandId) {
        return ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(INSTANCE));
    }

    private static Map<String, List<String>> params(String key, String value) {
        return Map.of("buildId", List.of(BUILD_ID), key, List.of(value));
    }

    @Test
    void sendCommandWithUnknownDocumentFailsWithInvalidDocument() {
        var e = assertThrows(InvalidDocumentException.class,
                () -> ssm.sendCommand(bootstrap().documentName("NoSuchDocument").build()));
        assertEquals("InvalidDocument", e.awsErrorDetails().errorCode());
        assertTrue(ssm.listCommands(r -> r.instanceId(INSTANCE)).commands().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vol-0123456789abcdef0; rm -rf /", "$(reboot)", "`id`", "vol-01234567|sh",
            "vol-01234567\nreboot", "vol-01234567 && curl evil", "../../etc/passwd"})
    void sendCommandWithParameterNotMatchingAllowedPatternFailsWithInvalidParameters(String volumeId) {
        var e = assertThrows(InvalidParametersException.class,
                () -> ssm.sendCommand(bootstrap(params("volumeId", volumeId)).build()));
        assertEquals("InvalidParameters", e.awsErrorDetails().errorCode());
        assertTrue(e.getMessage().contains("volumeId"));
        assertTrue(ssm.listCommands(r -> r.instanceId(INSTANCE)).commands().isEmpty());
    }

    @Test
    void extraPackagesPatternAcceptsAtomsAndRejectsShellMetacharacters() {
        ssm.sendCommand(bootstrap(params("extraPackages", "app-editors/vim sys-process/htop")).build());
        assertThrows(InvalidParametersException.class,
                () -> ssm.sendCommand(bootstrap(params("extraPackages", "vim; curl x | sh")).build()));
        assertEquals(1, ssm.listCommands(r -> r.instanceId(INSTANCE)).commands().size());
    }

    @Test
    void sendCommandWithUnknownParameterFailsWithInvalidParameters() {
        var e = assertThrows(InvalidParametersException.class,
                () -> ssm.sendCommand(bootstrap(params("commands", "reboot")).build()));
        assertTrue(e.getMessage().contains("\"commands\" is not defined"));
    }

    @Test
    void sendCommandWithoutRequiredParameterFailsWithInvalidParameters() {
        var e = assertThrows(InvalidParametersException.class, () -> ssm.sendCommand(
                bootstrap(Map.of("volumeId", List.of("vol-0123456789abcdef0"))).build()));
        assertTrue(e.getMessage().contains("\"buildId\" is required"));
    }

    @Test
    void sendCommandWithValueOutsideAllowedValuesFailsWithInvalidParameters() {
        var e = assertThrows(InvalidParametersException.class,
                () -> ssm.sendCommand(bootstrap(params("architecture", "riscv64")).build()));
        assertTrue(e.getMessage().contains("enum value set"));
    }

    @Test
    void sendCommandWithTwoValuesForAStringParameterFailsWithInvalidParameters() {
        assertThrows(InvalidParametersException.class, () -> ssm.sendCommand(bootstrap(Map.of(
                "buildId", List.of(BUILD_ID), "hostname", List.of("a", "b"))).build()));
    }

    @Test
    void sendCommandToInstanceWhoseAgentIsNotOnlineFailsWithInvalidInstanceId() {
        instances.running("i-0000000000000000a", aws.clock().instant().minusSeconds(39));

        var e = assertThrows(InvalidInstanceIdException.class, () -> ssm.sendCommand(bootstrap()
                .instanceIds("i-0000000000000000a").build()));
        assertTrue(e.getMessage().contains("i-0000000000000000a"));
        assertThrows(InvalidInstanceIdException.class, () -> ssm.sendCommand(bootstrap()
                .instanceIds("i-0ffffffffffffffff").build()));
        aws.clock().advanceSeconds(1);
        assertEquals(CommandStatus.PENDING, ssm.sendCommand(bootstrap().instanceIds("i-0000000000000000a").build())
                .command().status());
    }

    @Test
    void sendCommandWithCommentLongerThanOneHundredCharactersFails() {
        assertThrows(ValidationException.class,
                () -> ssm.sendCommand(bootstrap().comment("x".repeat(101)).build()));
        assertThrows(ValidationException.class, () -> ssm.sendCommand(bootstrap().timeoutSeconds(29).build()));
    }

    @Test
    void sendCommandRecordsTimeoutCommentOutputConfigAndParameters() {
        Instant sentAt = aws.clock().instant();
        Command sent = ssm.sendCommand(bootstrap().outputS3BucketName("build-logs")
                .cloudWatchOutputConfig(CloudWatchOutputConfig.builder().cloudWatchOutputEnabled(true)
                        .cloudWatchLogGroupName("/funtoo-ami-builder/bootstrap").build()).build()).command();

        Command listed = ssm.listCommands(r -> r.commandId(sent.commandId())).commands().get(0);
        assertEquals(CommandStatus.PENDING, listed.status());
        assertEquals("funtoo-ami-builder " + BUILD_ID, listed.comment());
        assertEquals(600, listed.timeoutSeconds());
        assertEquals("build-logs", listed.outputS3BucketName());
        assertEquals("/funtoo-ami-builder/bootstrap", listed.cloudWatchOutputConfig().cloudWatchLogGroupName());
        assertEquals(List.of("vol-0123456789abcdef0"), listed.parameters().get("volumeId"));
        assertEquals(List.of(INSTANCE), listed.instanceIds());
        assertEquals(sentAt, listed.requestedDateTime());
        // delivery timeout plus the document's 7200 s execution timeout
        assertEquals(sentAt.plusSeconds(600 + 7200), listed.expiresAfter());
    }

    @Test
    void sendCommandRecordsTheDocumentAndInstanceArnsForIam() {
        send();

        CallLog.Call call = aws.calls().matching(c -> c.operation().equals("SendCommand")).get(0);
        assertEquals(List.of("arn:aws:ssm:us-east-1:123456789012:document/" + DOCUMENT,
                        "arn:aws:ec2:us-east-1:123456789012:instance/" + INSTANCE),
                call.resources().stream().map(CallLog.Touched::arn).toList());
    }

    @Test
    void getCommandInvocationRightAfterSendFailsWithInvocationDoesNotExist() {
        String id = send();

        assertThrows(InvocationDoesNotExistException.class, () -> invocation(id));
        aws.clock().advance(SsmInvocation.DELIVERY);
        assertEquals(CommandInvocationStatus.IN_PROGRESS, invocation(id).status());
        assertEquals(CommandStatus.IN_PROGRESS, ssm.listCommands(r -> r.commandId(id)).commands().get(0).status());
    }

    @Test
    void getCommandInvocationOfUnknownCommandOrInstanceFailsWithInvocationDoesNotExist() {
        String id = send();
        aws.clock().advanceSeconds(5);

        assertThrows(InvocationDoesNotExistException.class,
                () -> ssm.getCommandInvocation(r -> r.commandId(id).instanceId("i-0ffffffffffffffff")));
        assertThrows(InvocationDoesNotExistException.class, () -> ssm.getCommandInvocation(r -> r
                .commandId("00000000-0000-0000-0000-000000000000").instanceId(INSTANCE)));
        // the published model wants exactly 36 characters; a 36-character id that is no command id is SSM's own
        assertThrows(software.amazon.awssdk.services.ssm.model.ValidationException.class,
                () -> ssm.getCommandInvocation(r -> r.commandId("not-a-command").instanceId(INSTANCE)));
        assertThrows(InvalidCommandIdException.class, () -> ssm.getCommandInvocation(r -> r
                .commandId("not-a-command-not-a-command-not-a-co").instanceId(INSTANCE)));
    }

    @Test
    void bootstrapIsInProgressUntilItsDurationThenSucceedsWithTheResultLine() {
        String id = send();
        aws.clock().advance(Duration.ofMinutes(12));

        GetCommandInvocationResponse running = invocation(id);
        assertEquals(CommandInvocationStatus.IN_PROGRESS, running.status());
        assertEquals(-1, running.responseCode());
        assertEquals("", running.standardErrorContent());

        aws.clock().advance(SsmInvocation.DELIVERY);
        GetCommandInvocationResponse done = invocation(id);
        assertEquals(CommandInvocationStatus.SUCCESS, done.status());
        assertEquals("Success", done.statusDetails());
        assertEquals(0, done.responseCode());
        assertEquals("==> bootstrap done", done.standardOutputContent());
        String[] lines = done.standardErrorContent().strip().split("\n");
        // the result line as declared once (lambdas core BootstrapResult), and the last line
        assertEquals(CommandOutcome.DEFAULT_RESULT_LINE, lines[lines.length - 1]);
        assertEquals(CommandOutcome.DEFAULT_STAGE3_URL, org.funtoo.amibuilder.lambdas.core.BootstrapResult
                .lastIn(done.standardErrorContent()).orElseThrow().stage3Url());
        assertEquals("bootstrap", done.pluginName());
        assertEquals("PT12M", done.executionElapsedTime());
        assertEquals(CommandStatus.SUCCESS, ssm.listCommands(r -> r.commandId(id)).commands().get(0).status());
    }

    @Test
    void getCommandInvocationReportsScriptedFailureWithLastLines() {
        ssm.scriptCommands(CommandScript.inOrder(CommandOutcome.bootstrapFails(
                "stage3 checksum mismatch: expected 1111, got 2222").after(Duration.ofMinutes(3))));
        String id = send();
        aws.clock().advance(Duration.ofMinutes(3).plus(SsmInvocation.DELIVERY));

        GetCommandInvocationResponse failed = invocation(id);
        assertEquals(CommandInvocationStatus.FAILED, failed.status());
        assertEquals("Failed", failed.statusDetails());
        assertEquals(1, failed.responseCode());
        assertTrue(failed.standardErrorContent().strip().endsWith("stage3 checksum mismatch: expected 1111, got 2222"));
        Command command = ssm.listCommands(r -> r.commandId(id)).commands().get(0);
        assertEquals(CommandStatus.FAILED, command.status());
        assertEquals(1, command.errorCount());
    }

    @Test
    void outputIsCappedAtTheFirst24000StdoutAnd8000StderrCharacters() {
        String stdout = "o".repeat(24000) + "CUT";
        String stderr = "e".repeat(8000) + "CUT";
        ssm.scriptCommands(CommandScript.inOrder(CommandOutcome.succeeds(stdout, stderr).after(Duration.ofMinutes(1))));
        String id = send();
        aws.clock().advance(Duration.ofMinutes(2));

        GetCommandInvocationResponse done = invocation(id);
        assertEquals(stdout.substring(0, 24000), done.standardOutputContent());
        assertEquals(stderr.substring(0, 8000), done.standardErrorContent());
    }

    @Test
    void scriptRunningLongerThanTheStepTimeoutEndsTimedOutAtTheTimeout() {
        ssm.scriptCommands(CommandScript.inOrder(CommandOutcome.neverFinishes()));
        String id = send();
        aws.clock().advance(Duration.ofSeconds(7200));
        assertEquals(CommandInvocationStatus.IN_PROGRESS, invocation(id).status());

        aws.clock().advance(SsmInvocation.DELIVERY);
        GetCommandInvocationResponse timedOut = invocation(id);
        assertEquals(CommandInvocationStatus.TIMED_OUT, timedOut.status());
        assertEquals("ExecutionTimedOut", timedOut.statusDetails());
        assertEquals("PT2H", timedOut.executionElapsedTime());
    }

    @Test
    void commandOnAnInstanceTerminatedMidwayStaysInProgressThenDeliveryTimesOut() {
        String id = send();
        aws.clock().advance(Duration.ofMinutes(5));
        assertEquals(CommandInvocationStatus.IN_PROGRESS, invocation(id).status());

        instances.gone(INSTANCE);
        aws.clock().advance(Duration.ofMinutes(1));
        assertEquals(CommandInvocationStatus.IN_PROGRESS, invocation(id).status());
        // the script would have ended after 12 minutes, but nobody is left to report it
        aws.clock().advance(Duration.ofMinutes(30));
        assertEquals(CommandInvocationStatus.IN_PROGRESS, invocation(id).status());

        aws.clock().advance(Duration.ofSeconds(600 + 7200));
        GetCommandInvocationResponse expired = invocation(id);
        assertEquals(CommandInvocationStatus.TIMED_OUT, expired.status());
        assertEquals("DeliveryTimedOut", expired.statusDetails());
        assertEquals("", expired.standardErrorContent());
        assertEquals(1, ssm.listCommands(r -> r.commandId(id)).commands().get(0).deliveryTimedOutCount());
    }

    @Test
    void commandThatEndedBeforeItsInstanceWasTerminatedKeepsItsResult() {
        String id = send();
        aws.clock().advance(Duration.ofMinutes(13));
        assertEquals(CommandInvocationStatus.SUCCESS, invocation(id).status());

        instances.gone(INSTANCE);
        aws.clock().advance(Duration.ofHours(3));
        assertEquals(CommandInvocationStatus.SUCCESS, invocation(id).status());
    }

    @Test
    void cancelCommandEndsARunningInvocationAsCancelled() {
        String id = send();
        aws.clock().advance(Duration.ofMinutes(2));

        ssm.cancelCommand(r -> r.commandId(id));
        assertEquals(CommandInvocationStatus.CANCELLED, invocation(id).status());
        aws.clock().advance(Duration.ofMinutes(20));
        assertEquals(CommandInvocationStatus.CANCELLED, invocation(id).status());
        assertThrows(InvalidCommandIdException.class,
                () -> ssm.cancelCommand(r -> r.commandId("00000000-0000-0000-0000-000000000000")));
    }

    @Test
    void listCommandsFindsTheBuildsCommandByInstanceDocumentAndStatus() {
        String first = send();
        aws.clock().advance(Duration.ofMinutes(13));
        String second = ssm.sendCommand(bootstrap().comment("funtoo-ami-builder other-build").build())
                .command().commandId();

        List<Command> byInstance = ssm.listCommands(r -> r.instanceId(INSTANCE)).commands();
        assertEquals(List.of(second, first), byInstance.stream().map(Command::commandId).toList());
        assertEquals(List.of(first), byInstance.stream()
                .filter(c -> c.comment().equals("funtoo-ami-builder " + BUILD_ID)).map(Command::commandId).toList());
        assertEquals(List.of(first), ssm.listCommands(r -> r.instanceId(INSTANCE).filters(
                f -> f.key(CommandFilterKey.STATUS).value("Success"),
                f -> f.key(CommandFilterKey.DOCUMENT_NAME).value(DOCUMENT))).commands().stream()
                .map(Command::commandId).toList());
        assertTrue(ssm.listCommands(r -> r.instanceId("i-0ffffffffffffffff")).commands().isEmpty());
    }

    @Test
    void listCommandsWithUnknownCommandIdFailsWithInvalidCommandId() {
        assertThrows(InvalidCommandIdException.class,
                () -> ssm.listCommands(r -> r.commandId("00000000-0000-0000-0000-000000000000")));
    }

    @Test
    void scriptedOutcomesApplyByDocumentThenInOrderThenTheFallback() {
        ssm.registerDocument("FuntooAmiBuilder-Probe", """
                {"schemaVersion": "2.2", "mainSteps": [{"action": "aws:runShellScript", "name": "probe",
                 "inputs": {"runCommand": ["true"]}}]}""");
        ssm.scriptCommands(CommandScript.inOrder(CommandOutcome.fails(2, "", "first in order"))
                .forDocument("FuntooAmiBuilder-Probe", CommandOutcome.succeeds("probe ok", ""))
                .otherwise(CommandOutcome.fails(3, "", "fallback")));
        String probe = ssm.sendCommand(r -> r.documentName("FuntooAmiBuilder-Probe").instanceIds(INSTANCE))
                .command().commandId();
        String inOrder = send();
        String fallback = send();
        aws.clock().advance(aws.timings().command.plusMinutes(1));

        assertEquals("probe ok", invocation(probe).standardOutputContent());
        assertEquals(2, invocation(inOrder).responseCode());
        assertEquals(3, invocation(fallback).responseCode());
    }

    @Test
    void commandToAnInstanceGoneBeforeDeliveryIsUndeliverable() {
        String id = send();
        instances.gone(INSTANCE);
        ssm.listCommands(r -> r.commandId(id));
        aws.clock().advance(SsmInvocation.DELIVERY);

        GetCommandInvocationResponse undeliverable = invocation(id);
        assertEquals(CommandInvocationStatus.FAILED, undeliverable.status());
        assertEquals("Undeliverable", undeliverable.statusDetails());
        assertEquals(0, ssm.listCommands(r -> r.commandId(id)).commands().get(0).errorCount());
    }

    @Test
    void stepTimeoutMayComeFromADocumentParameter() {
        ssm.registerDocument("FuntooAmiBuilder-Timed", """
                {"schemaVersion": "2.2",
                 "parameters": {"executionTimeout": {"type": "String", "default": "300",
                                                     "allowedPattern": "^[0-9]{1,6}$"}},
                 "mainSteps": [{"action": "aws:runShellScript", "name": "run",
                                "inputs": {"timeoutSeconds": "{{ executionTimeout }}", "runCommand": ["true"]}}]}""");
        ssm.scriptCommands(CommandScript.inOrder(CommandOutcome.neverFinishes()));
        String id = ssm.sendCommand(r -> r.documentName("FuntooAmiBuilder-Timed").instanceIds(INSTANCE)
                .parameters(Map.of("executionTimeout", List.of("900")))).command().commandId();
        aws.clock().advance(Duration.ofSeconds(901));

        assertEquals("ExecutionTimedOut", invocation(id).statusDetails());
        assertThrows(IllegalArgumentException.class, () -> ssm.registerDocument("FuntooAmiBuilder-Bad", """
                {"schemaVersion": "2.2", "mainSteps": [{"action": "aws:runShellScript", "name": "run",
                 "inputs": {"timeoutSeconds": "an hour"}}]}"""));
    }

    @Test
    void registeringADocumentWhoseDefaultBreaksItsOwnPatternFails() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ssm.registerDocument("Broken", """
                        {"schemaVersion": "2.2",
                         "parameters": {"volumeId": {"type": "String", "default": "", "allowedPattern": "^vol-.+$"}},
                         "mainSteps": [{"action": "aws:runShellScript", "name": "s", "inputs": {}}]}"""));
        assertTrue(e.getMessage().contains("volumeId"));
    }
}
