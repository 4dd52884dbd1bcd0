package org.funtoo.amibuilder.statemachine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.Errors;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * Makes the Lambda Task states, one per handler kind of the lambdas README: every task gets the whole state
 * document (check tasks get {@code config}, {@code resources}, {@code poll} and the loop), writes its result where
 * its kind says, and carries the retry policy of {@link Retries}. The function's result is the handler's return
 * value itself ({@code payloadResponseOnly}): no envelope to unwrap.
 *
 * <p>A factory made by {@link #catchingInto} also gives every task it makes the build's catch-all: any error
 * (States.ALL, after the retries) goes to the catch target with the error at {@code $.error}, next to the document
 * as it was when the task started, so cleanup sees every id in {@code resources} (ARCHITECTURE.md, "The state document").
 */
final class WorkflowTasks {
    static final String RESOURCES = "$.resources";
    static final String POLL = "$.poll";

    static final String ERROR = "$.error";

    private final Construct scope;
    private final Map<String, IFunction> functions;
    private final IChainable catchTarget;

    WorkflowTasks(Construct scope, Map<String, IFunction> functions) {
        this(scope, functions, null);
    }

    private WorkflowTasks(Construct scope, Map<String, IFunction> functions, IChainable catchTarget) {
        this.scope = scope;
        this.functions = functions;
        this.catchTarget = catchTarget;
    }

    /** The same factory, whose tasks send any error to {@code target} with the error at {@code $.error}. */
    WorkflowTasks catchingInto(IChainable target) {
        return new WorkflowTasks(scope, functions, target);
    }

    /**
     * The first state: the raw input plus the execution's name (the build id) and start time → the document.
     * Its result replaces the whole input. That is the default ResultPath ({@code $}); it is left out rather than
     * spelled out because aws-local-stepfunctions, which runs this definition in the tests, stores an explicit
     * {@code "ResultPath": "$"} under a key named {@code $} instead of replacing the input.
     */
    LambdaInvoke validate() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("input", JsonPath.getEntirePayload());
        payload.put("buildId", JsonPath.getExecutionName());
        payload.put("startedAt", JsonPath.getExecutionStartTime());
        return Retries.applyTo(invoke(Handlers.VALIDATE_INPUT)
                .payload(TaskInput.fromObject(payload))
                .build());
    }

    /** Create, resolve and cleanup handlers return the complete, updated resources map. */
    LambdaInvoke resources(String handler) {
        return resources(handler, Handlers.stateName(handler));
    }

    /** Like {@link #resources(String)}, in a state of another name (a handler used twice in one workflow). */
    LambdaInvoke resources(String handler, String stateName) {
        return caught(Retries.applyTo(invoke(handler, stateName).resultPath(RESOURCES).build()));
    }

    /** A handler that only checks (it throws a named error or returns): its result is dropped. */
    LambdaInvoke verification(String handler) {
        return caught(Retries.applyTo(invoke(handler).resultPath(JsonPath.DISCARD).build()));
    }

    LambdaInvoke check(LoopSpec loop) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("config", JsonPath.objectAt("$.config"));
        payload.put("resources", JsonPath.objectAt(RESOURCES));
        payload.put("poll", JsonPath.objectAt(POLL));
        payload.put("loop", loop.loopParameter());
        return caught(Retries.applyTo(invoke(loop.checkHandler())
                .payload(TaskInput.fromObject(payload))
                .resultPath(POLL)
                .build()));
    }

    /**
     * A task whose failure must not fail the build (a notification, the retention of older images after the new one
     * is published): after its retries any error is written to {@code errorPath} and the build goes on to
     * {@code next} as if the task had succeeded. The result is dropped.
     */
    LambdaInvoke tolerant(String handler, String errorPath, IChainable next) {
        LambdaInvoke task = Retries.applyTo(invoke(handler).resultPath(JsonPath.DISCARD).build());
        task.addCatch(next, CatchProps.builder()
                .errors(List.of(Errors.ALL))
                .resultPath(errorPath)
                .build());
        task.next(next);
        return task;
    }

    private LambdaInvoke caught(LambdaInvoke task) {
        if (catchTarget != null) {
            task.addCatch(catchTarget, CatchProps.builder()
                    .errors(List.of(Errors.ALL))
                    .resultPath(ERROR)
                    .build());
        }
        return task;
    }

    /** The summary handler's result replaces the document: it is the execution's output (ARCHITECTURE.md, "The state document"). */
    LambdaInvoke summary() {
        return Retries.applyTo(invoke(Handlers.SUMMARIZE_BUILD).build());
    }

    private LambdaInvoke.Builder invoke(String handler) {
        return invoke(handler, Handlers.stateName(handler));
    }

    private LambdaInvoke.Builder invoke(String handler, String stateName) {
        IFunction function = functions.get(handler);
        if (function == null) {
            throw new IllegalArgumentException("no function for handler " + handler);
        }
        return LambdaInvoke.Builder.create(scope, stateName)
                .lambdaFunction(function)
                .payloadResponseOnly(true)
                // the default retrier is replaced by the explicit ones of Retries
                .retryOnServiceExceptions(false);
    }
}
