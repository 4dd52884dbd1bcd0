package org.funtoo.amibuilder.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CloudWatchEventsExecutionDataDetails;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineRequest;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineRequest;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.StopExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StopExecutionResponse;

/**
 * Simulated Step Functions of one region, as far as the janitor needs it: state machines, executions with AWS's
 * naming, idempotency and listing rules, StopExecution. Executions do not run anything: they stay RUNNING until
 * stopped or until the test ends them ({@link #endExecution}).
 */
public final class SimSfn implements SfnClient, SimService {
    /** IAM's prefix for Step Functions actions ({@code states:StartExecution}). */
    private static final String IAM_SERVICE = "states";
    private static final ModeledErrors ERRORS = new ModeledErrors(SfnException.class, SfnException::builder, "Sfn");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws:states:([a-z0-9-]+):(\\d{12}):stateMachine:([^:]+)");
    private static final Pattern EXECUTION_ARN =
            Pattern.compile("arn:aws:states:([a-z0-9-]+):(\\d{12}):execution:([^:]+):([^:]+)");
    /** Characters AWS refuses in state machine and execution names (plus whitespace and control characters). */
    private static final Pattern FORBIDDEN_IN_NAME =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\u0000-\\u001f\\u007f-\\u009f]");
    private static final int MAX_INPUT_BYTES = 262144;
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private record StateMachine(String arn, String name, String definition, String roleArn, StateMachineType type,
                                Instant createdAt, Map<String, String> tags) {
    }

    private static final class Execution {
        final String arn;
        final String name;
        final String stateMachineArn;
        final String input;
        final Instant startDate;
        ExecutionStatus status = ExecutionStatus.RUNNING;
        Instant stopDate;
        String output;
        String error;
        String cause;

        Execution(String arn, String name, String stateMachineArn, String input, Instant startDate) {
            this.arn = arn;
            this.name = name;
            this.stateMachineArn = stateMachineArn;
            this.input = input;
            this.startDate = startDate;
        }
    }

    private final SimAws aws;
    private final String region;
    private final Map<String, StateMachine> stateMachines = new LinkedHashMap<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();

    SimSfn(SimAws aws, String region) {
        this.aws = aws;
        this.region = region;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    // ---- test hooks --------------------------------------------------------------------------------------------

    /** A STANDARD state machine as the stack would have deployed it; returns its ARN. */
    public synchronized String createStateMachine(String name) {
        validateName(name, "state machine");
        String arn = stateMachineArn(name);
        stateMachines.putIfAbsent(arn, new StateMachine(arn, name,
                "{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}",
                "arn:aws:iam::" + SimAws.ACCOUNT_ID + ":role/" + name + "-role", StateMachineType.STANDARD,
                now(), Map.of()));
        return arn;
    }

    /** Ends a running execution as the workflow would have: SUCCEEDED, FAILED, TIMED_OUT or ABORTED. */
    public synchronized void endExecution(String executionArn, ExecutionStatus status, String error, String cause) {
        Execution e = executions.get(executionArn);
        if (e == null) {
            throw new IllegalArgumentException("no execution " + executionArn);
        }
        if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.PENDING_REDRIVE
                || status == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("an execution ends SUCCEEDED, FAILED, TIMED_OUT or ABORTED");
        }
        if (e.status != ExecutionStatus.RUNNING) {
            throw new IllegalStateException(executionArn + " already ended " + e.status);
        }
        e.status = status;
        e.stopDate = now();
        if (status == ExecutionStatus.SUCCEEDED) {
            e.output = "{}";
        } else {
            e.error = error;
            e.cause = cause;
        }
    }

    public void endExecution(String executionArn, ExecutionStatus status) {
        endExecution(executionArn, status, status == ExecutionStatus.TIMED_OUT ? "States.Timeout"
                : status == ExecutionStatus.FAILED ? "States.TaskFailed" : null, null);
    }

    // ---- state machines ----------------------------------------------------------------------------------------

    @Override
    public CreateStateMachineResponse createStateMachine(CreateStateMachineRequest r) {
        return op("CreateStateMachine", r, call -> {
            validateName(r.name(), "state machine");
            String arn = stateMachineArn(r.name());
            Map<String, String> tags = new LinkedHashMap<>();
            r.tags().forEach(t -> tags.put(t.key(), t.value()));
            call.touched(arn, Map.of()).requestTags(tags);
            if (r.definition() == null || r.roleArn() == null) {
                throw new ServiceRejection("MissingRequiredParameter", "definition and roleArn are required");
            }
            try {
                JSON.readTree(r.definition());
            } catch (JsonProcessingException e) {
                throw new ServiceRejection("InvalidDefinition", "Invalid State Machine Definition: "
                        + "'SCHEMA_VALIDATION_FAILED: not JSON'");
            }
            StateMachineType type = r.type() == null ? StateMachineType.STANDARD : r.type();
            StateMachine existing = stateMachines.get(arn);
            if (existing != null) {
                // an identical request is idempotent; anything else reuses a taken name
                if (existing.definition().equals(r.definition()) && existing.roleArn().equals(r.roleArn())
                        && existing.type() == type) {
                    return CreateStateMachineResponse.builder().stateMachineArn(arn)
                            .creationDate(existing.createdAt()).build();
                }
                throw new ServiceRejection("StateMachineAlreadyExists", "State Machine Already Exists: '"
                        + arn + "'");
            }
            StateMachine created = new StateMachine(arn, r.name(), r.definition(), r.roleArn(), type, now(),
                    Map.copyOf(tags));
            stateMachines.put(arn, created);
            return CreateStateMachineResponse.builder().stateMachineArn(arn).creationDate(created.createdAt())
                    .build();
        });
    }

    @Override
    public DescribeStateMachineResponse describeStateMachine(DescribeStateMachineRequest r) {
        return op("DescribeStateMachine", r, call -> {
            StateMachine sm = stateMachine(r.stateMachineArn(), call);
            return DescribeStateMachineResponse.builder().stateMachineArn(sm.arn()).name(sm.name())
                    .status(StateMachineStatus.ACTIVE).definition(sm.definition()).roleArn(sm.roleArn())
                    .type(sm.type()).creationDate(sm.createdAt()).build();
        });
    }

    // ---- executions --------------------------------------------------------------------------------------------

    @Override
    public StartExecutionResponse startExecution(StartExecutionRequest r) {
        return op("StartExecution", r, call -> {
            StateMachine sm = stateMachine(r.stateMachineArn(), call);
            String name = r.name() == null ? UUID.randomUUID().toString() : r.name();
            validateName(name, "execution");
            String input = r.input() == null ? "{}" : r.input();
            validateInput(input);
            String arn = "arn:aws:states:" + region + ":" + SimAws.ACCOUNT_ID + ":execution:" + sm.name() + ":"
                    + name;
            Execution existing = executions.get(arn);
            if (existing != null) {
                // StartExecution is idempotent only for a running execution started with the same input
                if (existing.status == ExecutionStatus.RUNNING && existing.input.equals(input)) {
                    return StartExecutionResponse.builder().executionArn(arn).startDate(existing.startDate).build();
                }
                throw new ServiceRejection("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
            }
            Execution e = new Execution(arn, name, sm.arn(), input, now());
            executions.put(arn, e);
            return StartExecutionResponse.builder().executionArn(arn).startDate(e.startDate).build();
        });
    }

    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest r) {
        return op("DescribeExecution", r, call -> {
            Execution e = execution(r.executionArn(), call);
            return DescribeExecutionResponse.builder().executionArn(e.arn).stateMachineArn(e.stateMachineArn)
                    .name(e.name).status(e.status).startDate(e.startDate).stopDate(e.stopDate).input(e.input)
                    .output(e.output).error(e.error).cause(e.cause)
                    .inputDetails(d -> d.included(true))
                    .outputDetails(e.output == null ? null
                            : CloudWatchEventsExecutionDataDetails.builder().included(true).build())
                    .build();
        });
    }

    @Override
    public ListExecutionsResponse listExecutions(ListExecutionsRequest r) {
        return op("ListExecutions", r, call -> {
            if (r.mapRunArn() != null) {
                throw new UnsupportedOperationException("the simulated Step Functions has no Map Runs");
            }
            StateMachine sm = stateMachine(r.stateMachineArn(), call);
            if (sm.type() == StateMachineType.EXPRESS) {
                throw new ServiceRejection("StateMachineTypeNotSupported", "This operation is not supported by "
                        + "this type of state machine");
            }
            if (r.statusFilter() == ExecutionStatus.UNKNOWN_TO_SDK_VERSION) {
                throw new ServiceRejection("ValidationException", "1 validation error detected: Value '"
                        + r.statusFilterAsString() + "' at 'statusFilter' failed to satisfy constraint: Member "
                        + "must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, FAILED, RUNNING, "
                        + "ABORTED]");
            }
            int maxResults = r.maxResults() == null ? 0 : r.maxResults();
            if (maxResults < 0 || maxResults > MAX_PAGE) {
                throw new ServiceRejection("ValidationException", "1 validation error detected: Value at "
                        + "'maxResults' failed to satisfy constraint: Member must have value between 0 and "
                        + MAX_PAGE);
            }
            List<Execution> newestFirst = new ArrayList<>(executions.values().stream()
                    .filter(e -> e.stateMachineArn.equals(sm.arn()))
                    .filter(e -> r.statusFilter() == null || e.status == r.statusFilter())
                    .toList());
            // newest first, as AWS lists them; the stable sort keeps later starts first within one instant
            Collections.reverse(newestFirst);
            newestFirst.sort(Comparator.comparing((Execution e) -> e.startDate).reversed());
            List<ExecutionListItem> items = newestFirst.stream()
                    .map(e -> ExecutionListItem.builder().executionArn(e.arn).stateMachineArn(e.stateMachineArn)
                            .name(e.name).status(e.status).startDate(e.startDate).stopDate(e.stopDate).build())
                    .toList();
            var page = PageToken.page(items, r.nextToken(), maxResults == 0 ? DEFAULT_PAGE : maxResults,
                    "ListExecutions:" + sm.arn() + ":" + r.statusFilterAsString(), "InvalidToken");
            return ListExecutionsResponse.builder().executions(page.items()).nextToken(page.nextToken()).build();
        });
    }

    /** RUNNING → ABORTED now; an execution that already ended keeps its status and stop date. */
    @Override
    public StopExecutionResponse stopExecution(StopExecutionRequest r) {
        return op("StopExecution", r, call -> {
            Execution e = execution(r.executionArn(), call);
            if (e.status == ExecutionStatus.RUNNING) {
                e.status = ExecutionStatus.ABORTED;
                e.stopDate = now();
                e.error = r.error();
                e.cause = r.cause();
            }
            return StopExecutionResponse.builder().stopDate(e.stopDate).build();
        });
    }

    // ---- lookups and validation --------------------------------------------------------------------------------

    private StateMachine stateMachine(String arn, CallLog.Call call) {
        if (arn == null || !STATE_MACHINE_ARN.matcher(arn).matches()) {
            throw new ServiceRejection("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        StateMachine sm = stateMachines.get(arn);
        call.touched(arn, sm == null ? Map.of() : sm.tags());
        if (sm == null) {
            throw new ServiceRejection("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return sm;
    }

    private Execution execution(String arn, CallLog.Call call) {
        Matcher m = arn == null ? null : EXECUTION_ARN.matcher(arn);
        if (m == null || !m.matches()) {
            throw new ServiceRejection("InvalidArn", "Invalid Arn: '" + arn + "'");
        }
        call.touched(arn, Map.of());
        Execution e = executions.get(arn);
        if (e == null) {
            throw new ServiceRejection("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return e;
    }

    private static void validateName(String name, String what) {
        if (name == null || name.isEmpty() || name.length() > 80 || FORBIDDEN_IN_NAME.matcher(name).find()) {
            throw new ServiceRejection("InvalidName", "Invalid Name: '" + name + "' is not a valid " + what
                    + " name");
        }
    }

    private static void validateInput(String input) {
        if (input.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
            throw new ServiceRejection("InvalidExecutionInput", "Execution input is larger than 256 KiB");
        }
        try {
            JSON.readTree(input);
        } catch (JsonProcessingException e) {
            throw new ServiceRejection("InvalidExecutionInput", "Invalid State Machine Execution Input: "
                    + "'Unexpected character'");
        }
    }

    private String stateMachineArn(String name) {
        return "arn:aws:states:" + region + ":" + SimAws.ACCOUNT_ID + ":stateMachine:" + name;
    }

    private Instant now() {
        return aws.clock().instant();
    }

    /** Every operation: logged (and maybe failed by injection) first, then run against the current state. */
    private synchronized <T> T op(String operation, Object request, Function<CallLog.Call, T> body) {
        CallLog.Call call = aws.enter(this, IAM_SERVICE, operation, request);
        try {
            return body.apply(call);
        } catch (ServiceRejection e) {
            throw aws.fail(this, call, e.code(), e.getMessage());
        }
    }

    /** State machines belong to the stack and executions are not resources: nothing here outlives a build. */
    @Override
    public List<SimResource> inventory() {
        return List.of();
    }

    @Override
    public AwsServiceException error(String code, String message) {
        return ERRORS.of(code, message);
    }
}
