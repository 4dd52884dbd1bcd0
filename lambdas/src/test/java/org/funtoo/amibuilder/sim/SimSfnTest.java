package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

class SimSfnTest {
    private static final String INPUT = "{\"distribution\":\"funtoo\",\"architecture\":\"x86_64\"}";

    private final SimAws aws = new SimAws();
    private final SimSfn sfn = aws.sfn();
    private final String build = sfn.createStateMachine("FuntooAmiBuilder");

    private String start(String name, String input) {
        return sfn.startExecution(r -> r.stateMachineArn(build).name(name).input(input)).executionArn();
    }

    @Test
    void stateMachineAndExecutionArnsHaveTheRealShape() {
        assertEquals("arn:aws:states:us-east-1:123456789012:stateMachine:FuntooAmiBuilder", build);
        assertEquals("arn:aws:states:us-east-1:123456789012:execution:FuntooAmiBuilder:build-1",
                start("build-1", INPUT));
        assertEquals("arn:aws:states:eu-west-1:123456789012:stateMachine:Janitor",
                aws.sfn("eu-west-1").createStateMachine("Janitor"));
    }

    @Test
    void startExecutionRecordsTheInputThatDescribeExecutionReturns() {
        String arn = start("build-1", INPUT);

        DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
        assertEquals(ExecutionStatus.RUNNING, d.status());
        assertEquals(INPUT, d.input());
        assertEquals("build-1", d.name());
        assertEquals(build, d.stateMachineArn());
        assertEquals(aws.clock().instant(), d.startDate());
        assertNull(d.stopDate());
    }

    @Test
    void startingTheSameNameAndInputWhileRunningReturnsTheSameExecution() {
        String arn = start("build-1", INPUT);
        var startedAt = sfn.describeExecution(r -> r.executionArn(arn)).startDate();
        aws.clock().advanceSeconds(30);

        var again = sfn.startExecution(r -> r.stateMachineArn(build).name("build-1").input(INPUT));
        assertEquals(arn, again.executionArn());
        assertEquals(startedAt, again.startDate());
        assertEquals(1, sfn.listExecutions(r -> r.stateMachineArn(build)).executions().size());
    }

    @Test
    void startingATakenNameWithOtherInputOrAfterTheEndFailsWithExecutionAlreadyExists() {
        String arn = start("build-1", INPUT);

        var e = assertThrows(ExecutionAlreadyExistsException.class, () -> start("build-1", "{}"));
        assertEquals("ExecutionAlreadyExists", e.awsErrorDetails().errorCode());
        sfn.endExecution(arn, ExecutionStatus.SUCCEEDED);
        assertThrows(ExecutionAlreadyExistsException.class, () -> start("build-1", INPUT));
    }

    @Test
    void startExecutionOnAnUnknownStateMachineFailsWithStateMachineDoesNotExist() {
        assertThrows(StateMachineDoesNotExistException.class, () -> sfn.startExecution(r -> r
                .stateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:Nope").name("x")));
        var e = assertThrows(InvalidArnException.class,
                () -> sfn.startExecution(r -> r.stateMachineArn("FuntooAmiBuilder").name("x")));
        assertEquals("InvalidArn", e.awsErrorDetails().errorCode());
        assertEquals("InvalidArn", aws.calls().all().get(1).errorCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "semi;colon", "colon:name", "slash/name", "brace{", "dollar$"})
    void executionNamesAwsRefusesFailWithInvalidName(String name) {
        assertThrows(InvalidNameException.class, () -> start(name, "{}"));
        // longer than the published model's 80 characters: refused by the service's validation first
        var tooLong = assertThrows(software.amazon.awssdk.services.sfn.model.ValidationException.class,
                () -> start("x".repeat(81), "{}"));
        assertTrue(tooLong.getMessage().contains("at 'name' failed to satisfy constraint: Member must have length"
                + " less than or equal to 80"), tooLong.getMessage());
        assertTrue(sfn.listExecutions(r -> r.stateMachineArn(build)).executions().isEmpty());
    }

    @Test
    void inputThatIsNotJsonFailsWithInvalidExecutionInput() {
        assertThrows(InvalidExecutionInputException.class, () -> start("build-1", "{not json"));
        assertEquals("{}", sfn.describeExecution(r -> r.executionArn(sfn.startExecution(s -> s
                .stateMachineArn(build).name("build-2")).executionArn())).input());
    }

    @Test
    void describeExecutionOfAnUnknownExecutionFailsWithExecutionDoesNotExist() {
        assertThrows(ExecutionDoesNotExistException.class, () -> sfn.describeExecution(r -> r.executionArn(
                "arn:aws:states:us-east-1:123456789012:execution:FuntooAmiBuilder:never")));
        assertThrows(InvalidArnException.class, () -> sfn.describeExecution(r -> r.executionArn(build)));
    }

    @Test
    void listExecutionsFiltersByStatus() {
        start("running", "{}");
        String failed = start("failed", "{}");
        String timedOut = start("timed-out", "{}");
        String aborted = start("aborted", "{}");
        String succeeded = start("succeeded", "{}");
        sfn.endExecution(failed, ExecutionStatus.FAILED, "BootstrapFailed", "stage3 checksum mismatch");
        sfn.endExecution(timedOut, ExecutionStatus.TIMED_OUT);
        sfn.stopExecution(r -> r.executionArn(aborted));
        sfn.endExecution(succeeded, ExecutionStatus.SUCCEEDED);

        for (ExecutionStatus status : List.of(ExecutionStatus.RUNNING, ExecutionStatus.FAILED,
                ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED, ExecutionStatus.SUCCEEDED)) {
            List<ExecutionListItem> listed = sfn.listExecutions(r -> r.stateMachineArn(build).statusFilter(status))
                    .executions();
            assertEquals(1, listed.size(), status.toString());
            assertEquals(status, listed.get(0).status());
        }
        DescribeExecutionResponse f = sfn.describeExecution(r -> r.executionArn(failed));
        assertEquals("BootstrapFailed", f.error());
        assertEquals("stage3 checksum mismatch", f.cause());
    }

    @Test
    void listExecutionsPagesNewestFirstWithNextToken() {
        for (int i = 1; i <= 5; i++) {
            start("build-" + i, "{}");
            aws.clock().advanceSeconds(10);
        }

        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ListExecutionsResponse page = sfn.listExecutions(r -> r.stateMachineArn(build).maxResults(2)
                    .nextToken(next));
            page.executions().forEach(e -> names.add(e.name()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(List.of("build-5", "build-4", "build-3", "build-2", "build-1"), names);
        assertEquals(3, pages);
        assertThrows(InvalidTokenException.class,
                () -> sfn.listExecutions(r -> r.stateMachineArn(build).nextToken("garbage")));
    }

    @Test
    void stopExecutionAbortsARunningExecutionAndLeavesAnEndedOneAlone() {
        String running = start("build-1", "{}");
        String done = start("build-2", "{}");
        sfn.endExecution(done, ExecutionStatus.SUCCEEDED);
        aws.clock().advanceSeconds(60);

        var stop = sfn.stopExecution(r -> r.executionArn(running).error("Janitor").cause("abandoned"));
        assertEquals(aws.clock().instant(), stop.stopDate());
        DescribeExecutionResponse aborted = sfn.describeExecution(r -> r.executionArn(running));
        assertEquals(ExecutionStatus.ABORTED, aborted.status());
        assertEquals("Janitor", aborted.error());
        sfn.stopExecution(r -> r.executionArn(done));
        assertEquals(ExecutionStatus.SUCCEEDED, sfn.describeExecution(r -> r.executionArn(done)).status());
    }

    @Test
    void endingAnExecutionTwiceIsATestError() {
        String arn = start("build-1", "{}");
        sfn.endExecution(arn, ExecutionStatus.FAILED);

        assertThrows(IllegalStateException.class, () -> sfn.endExecution(arn, ExecutionStatus.SUCCEEDED));
        assertThrows(IllegalArgumentException.class, () -> sfn.endExecution(start("build-2", "{}"),
                ExecutionStatus.RUNNING));
    }

    @Test
    void createStateMachineIsIdempotentForTheSameDefinitionAndRefusesAnother() {
        String definition = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}";
        String role = "arn:aws:iam::123456789012:role/janitor";
        String arn = sfn.createStateMachine(r -> r.name("Janitor").definition(definition).roleArn(role))
                .stateMachineArn();

        assertEquals(arn, sfn.createStateMachine(r -> r.name("Janitor").definition(definition).roleArn(role))
                .stateMachineArn());
        assertThrows(StateMachineAlreadyExistsException.class, () -> sfn.createStateMachine(r -> r.name("Janitor")
                .definition("{\"StartAt\":\"B\",\"States\":{}}").roleArn(role)));
        assertEquals("Janitor", sfn.describeStateMachine(r -> r.stateMachineArn(arn)).name());
    }

    @Test
    void callsAreLoggedAsStatesActionsWithTheArnsTheyActOn() {
        String arn = aws.as("JanitorFunction", () -> {
            String started = start("build-1", "{}");
            sfn.listExecutions(r -> r.stateMachineArn(build).statusFilter(ExecutionStatus.RUNNING));
            sfn.stopExecution(r -> r.executionArn(started));
            return started;
        });

        List<CallLog.Call> calls = aws.calls().all();
        assertEquals(List.of("states:StartExecution", "states:ListExecutions", "states:StopExecution"),
                calls.stream().map(CallLog.Call::action).toList());
        assertTrue(calls.stream().allMatch(c -> c.caller().equals("JanitorFunction")));
        assertEquals(List.of(build), calls.get(1).resources().stream().map(CallLog.Touched::arn).toList());
        assertEquals(List.of(arn), calls.get(2).resources().stream().map(CallLog.Touched::arn).toList());
        assertTrue(sfn.inventory().isEmpty());
    }
}
