package org.funtoo.amibuilder.statemachine;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.TaskInput;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * Makes the Lambda Task states, one per handler kind of the lambdas README: every task gets the whole state
 * document (check tasks get {@code config}, {@code resources}, {@code poll} and the loop), writes its result where
 * its kind says, and carries the retry policy of {@link Retries}. The function's result is the handler's return
 * value itself ({@code payloadResponseOnly}): no envelope to unwrap.
 */
final class WorkflowTasks {
    static final String RESOURCES = "$.resources";
    static final String POLL = "$.poll";

    private final Construct scope;
    private final Map<String, IFunction> functions;

    WorkflowTasks(Construct scope, Map<String, IFunction> functions) {
        this.scope = scope;
        this.functions = functions;
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
        return Retries.applyTo(invoke(handler).resultPath(RESOURCES).build());
    }

    /** A handler that only checks (it throws a named error or returns): its result is dropped. */
    LambdaInvoke verification(String handler) {
        return Retries.applyTo(invoke(handler).resultPath(JsonPath.DISCARD).build());
    }

    LambdaInvoke check(LoopSpec loop) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("config", JsonPath.objectAt("$.config"));
        payload.put("resources", JsonPath.objectAt(RESOURCES));
        payload.put("poll", JsonPath.objectAt(POLL));
        payload.put("loop", loop.loopParameter());
        return Retries.applyTo(invoke(loop.checkHandler())
                .payload(TaskInput.fromObject(payload))
                .resultPath(POLL)
                .build());
    }

    /** The summary handler's result replaces the document: it is the execution's output (ARCHITECTURE §3). */
    LambdaInvoke summary() {
        return Retries.applyTo(invoke(Handlers.SUMMARIZE_BUILD).build());
    }

    private LambdaInvoke.Builder invoke(String handler) {
        IFunction function = functions.get(handler);
        if (function == null) {
            throw new IllegalArgumentException("no function for handler " + handler);
        }
        return LambdaInvoke.Builder.create(scope, Handlers.stateName(handler))
                .lambdaFunction(function)
                .payloadResponseOnly(true)
                // the default retrier is replaced by the explicit ones of Retries
                .retryOnServiceExceptions(false);
    }
}
