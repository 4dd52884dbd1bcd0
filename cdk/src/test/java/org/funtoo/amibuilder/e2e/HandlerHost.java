package org.funtoo.amibuilder.e2e;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.sim.LambdaError;
import org.funtoo.amibuilder.sim.LambdaEvents;
import org.funtoo.amibuilder.sim.SimAws;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Plays the Lambda service for the interpreter: a loopback HTTP endpoint that runs the real handler classes (as named
 * in the template) against the simulated AWS, JSON in and out as the Java runtime does, errors reported with the
 * exception's class name as error type. Also moves the simulated clock for Wait states and retry pauses.
 */
final class HandlerHost implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One Lambda invocation as the host saw it. */
    /** One Lambda invocation as the host saw it; {@code result} is what the handler returned (null on error). */
    record Invocation(String state, String function, String handler, Instant at, String errorType, JsonNode result) {
    }

    /** An injected failure: the Lambda invocation fails without running the handler. */
    record InjectedFailure(String errorType, String message) {
    }

    private final SimAws aws;
    private final Map<String, SynthesizedTemplate.Function> functions;
    private final Map<String, RequestHandler<Map<String, Object>, Object>> instances = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = new ArrayList<>();
    private final Map<String, InjectedFailure> failures = new HashMap<>();
    private final HttpServer server;
    private Duration waited = Duration.ZERO;
    /** Set when several executions run at once: their waits go through it instead of moving the clock. */
    private volatile SharedClock sharedClock;
    private boolean fixedMinimumWaits;
    private Duration retried = Duration.ZERO;

    HandlerHost(SimAws aws, Map<String, SynthesizedTemplate.Function> functions) throws IOException {
        this.aws = aws;
        this.functions = functions;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/invoke", this::invoke);
        server.createContext("/advance", this::advance);
        // executions on a shared clock block in /advance: every request gets a thread of its own
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "handler-host");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every invocation of the Task state {@code state} fails with this error until cleared. */
    synchronized void failState(String state, InjectedFailure failure) {
        if (failure == null) {
            failures.remove(state);
        } else {
            failures.put(state, failure);
        }
    }

    /**
     * A variant for the benchmark: every check's suggested wait is replaced by its loop's minimum, i.e. plain
     * fixed-interval polling instead of the handlers' estimates.
     */
    synchronized void pollAtFixedMinimumInterval(boolean on) {
        fixedMinimumWaits = on;
    }

    synchronized List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    synchronized long invocationCount(Predicate<Invocation> p) {
        return invocations.stream().filter(p).count();
    }

    /** Simulated time spent in Wait states. */
    synchronized Duration waited() {
        return waited;
    }

    /** Simulated time spent in retry pauses. */
    synchronized Duration retried() {
        return retried;
    }

    /**
     * Invokes a function outside any state machine, as EventBridge would (the janitor's daily sweep): the event is
     * read into the handler's input type as Lambda's Java runtime reads it.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> invokeDirectly(String functionId, Map<String, Object> event) {
        SynthesizedTemplate.Function fn = functions.get(functionId);
        RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) (RequestHandler<?, ?>)
                instances.computeIfAbsent(functionId, id -> instantiate(fn));
        Object input = asTheRuntimeReadsIt(handler, event);
        Object result = aws.as(functionId, () -> handler.handleRequest(input, new SimContext(functionId)));
        return JSON.convertValue(result, Map.class);
    }

    /** The event as the handler's declared input type: a map as it is, an aws-lambda-java-events type as read. */
    private static Object asTheRuntimeReadsIt(RequestHandler<?, ?> handler, Map<String, Object> event) {
        Class<?> type = Arrays.stream(handler.getClass().getMethods())
                .filter(m -> m.getName().equals("handleRequest") && !m.isBridge() && m.getParameterCount() == 2)
                .findFirst().orElseThrow().getParameterTypes()[0];
        if (Map.class.isAssignableFrom(type)) {
            return event;
        }
        try {
            return LambdaEvents.read(type, JSON.writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Executions from now on share the clock through {@code shared} (null: each moves the clock itself). */
    void shareClock(SharedClock shared) {
        this.sharedClock = shared;
    }

    private void advance(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        double seconds = body.path("seconds").asDouble();
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        SharedClock shared = sharedClock;
        if (shared == null) {
            aws.clock().advance(d);
        } else {
            try {
                shared.sleep(body.path("execution").asText(), d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        synchronized (this) {
            if (body.path("reason").asText().startsWith("retry")) {
                retried = retried.plus(d);
            } else {
                waited = waited.plus(d);
            }
        }
        reply(ex, JSON.createObjectNode().put("now", aws.clock().instant().toString()));
    }

    private void invoke(HttpExchange ex) throws IOException {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String state = body.path("state").asText();
        String functionId = body.path("handler").asText();
        ObjectNode answer = JSON.createObjectNode();
        String errorType = null;
        try {
            InjectedFailure injected;
            synchronized (this) {
                injected = failures.get(state);
            }
            if (injected != null) {
                errorType = injected.errorType();
                answer.put("errorType", errorType)
                        .put("errorMessage", LambdaError.cause(errorType, injected.message()));
            } else if (functionId.startsWith("aws-sdk:")) {
                answer.set("result", sdkIntegration(functionId, body.get("input")));
            } else {
                SynthesizedTemplate.Function fn = functions.get(functionId);
                if (fn == null) {
                    throw new IllegalStateException("state " + state + " calls unknown function " + functionId);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> input = JSON.convertValue(body.get("input"), Map.class);
                RequestHandler<Map<String, Object>, Object> handler = instances.computeIfAbsent(functionId, id -> instantiate(fn));
                Object result = aws.as(functionId, () -> handler.handleRequest(input, new SimContext(functionId)));
                // round-trip through JSON like the runtime does, so a handler returning non-JSON types fails here
                JsonNode json = JSON.valueToTree(result);
                boolean fixed;
                synchronized (this) {
                    fixed = fixedMinimumWaits;
                }
                if (fixed && body.get("input").has("loop") && json.has("waitSeconds")) {
                    ((ObjectNode) json).put("waitSeconds", body.get("input").path("loop").path("minWaitSeconds").asInt());
                }
                answer.set("result", json);
            }
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            if (!functionId.startsWith("aws-sdk:")) {
                errorType = LambdaError.errorType(e);
                answer.put("errorType", errorType).put("errorMessage", LambdaError.cause(e));
            } else {
                // an SDK integration names errors Service.ExceptionClass, e.g. Sfn.ExecutionDoesNotExistException
                errorType = "Sfn." + e.getClass().getSimpleName();
                answer.put("errorType", errorType).put("errorMessage", e.getMessage());
            }
        } catch (RuntimeException e) {
            errorType = LambdaError.errorType(e);
            answer.put("errorType", errorType).put("errorMessage", LambdaError.cause(e));
        }
        synchronized (this) {
            invocations.add(new Invocation(state, functionId, functions.containsKey(functionId)
                    ? functions.get(functionId).handlerClass() : "?", aws.clock().instant(), errorType,
                    answer.get("result")));
        }
        reply(ex, answer);
    }

    /** The Step Functions AWS SDK integrations the definitions use, answered by the simulated account. */
    private JsonNode sdkIntegration(String resource, JsonNode input) {
        if (resource.equals("aws-sdk:sfn:describeExecution")) {
            var r = aws.as("StepFunctions", () -> aws.sfn().describeExecution(b -> b.executionArn(input.path("ExecutionArn").asText())));
            ObjectNode out = JSON.createObjectNode()
                    .put("ExecutionArn", r.executionArn())
                    .put("StateMachineArn", r.stateMachineArn())
                    .put("Name", r.name())
                    .put("Status", r.statusAsString())
                    .put("StartDate", r.startDate().toString())
                    .put("Input", r.input());
            if (r.stopDate() != null) {
                out.put("StopDate", r.stopDate().toString());
            }
            if (r.error() != null) {
                out.put("Error", r.error());
            }
            if (r.cause() != null) {
                out.put("Cause", r.cause());
            }
            return out;
        }
        throw new IllegalStateException("SDK integration not simulated: " + resource);
    }

    /**
     * Builds a handler from the same dependencies object its no-argument constructor builds in Lambda: here the
     * simulated account's clients (with the SDK's retries, {@link SdkRetries}) and clock, and the function's
     * environment in the template plus {@code AWS_REGION}, which Lambda sets itself. A setting the stack does not
     * give the function fails the construction here, as it would fail the deployed function.
     */
    @SuppressWarnings("unchecked")
    private RequestHandler<Map<String, Object>, Object> instantiate(SynthesizedTemplate.Function fn) {
        Map<String, String> environment = new LinkedHashMap<>(fn.environment());
        environment.put(Env.AWS_REGION, SynthesizedTemplate.REGION);
        HandlerDependencies deps = aws.dependencies()
                .ec2(region -> SdkRetries.wrap(Ec2Client.class, aws.ec2(region)))
                .ssm(region -> SdkRetries.wrap(SsmClient.class, aws.ssm(region)))
                .sfn(() -> SdkRetries.wrap(SfnClient.class, aws.sfn()))
                .eventBridge(() -> SdkRetries.wrap(EventBridgeClient.class, aws.events()))
                .sns(() -> SdkRetries.wrap(SnsClient.class, aws.sns()))
                .environment(environment)
                .build();
        try {
            return (RequestHandler<Map<String, Object>, Object>) Class.forName(fn.handlerClass())
                    .getConstructor(HandlerDependencies.class).newInstance(deps);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructing " + fn.handlerClass() + " for " + fn.logicalId()
                    + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + fn.handlerClass() + " from its dependencies", e);
        }
    }

    private static void reply(HttpExchange ex, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The little of Lambda's Context a handler may use. */
    private record SimContext(String functionName) implements Context {
        public String getAwsRequestId() { return "00000000-0000-0000-0000-000000000000"; }
        public String getLogGroupName() { return "/aws/lambda/" + functionName; }
        public String getLogStreamName() { return "sim"; }
        public String getFunctionName() { return functionName; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return SynthesizedTemplate.functionArn(functionName); }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 60_000; }
        public int getMemoryLimitInMB() { return 512; }
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { }
                public void log(byte[] message) { }
            };
        }
    }
}
