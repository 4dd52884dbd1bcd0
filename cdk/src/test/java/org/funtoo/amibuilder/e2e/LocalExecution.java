package org.funtoo.amibuilder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one execution of a definition in aws-local-stepfunctions (Node 22 from the project's node_modules), its Task
 * states served by a {@link HandlerHost}.
 */
final class LocalExecution {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How an execution ended, and what happened on the way. */
    record Result(String status, JsonNode output, String error, String cause, List<JsonNode> events) {
        boolean succeeded() {
            return "SUCCEEDED".equals(status);
        }

        /** Step Functions bills state transitions: one per state entered. */
        long stateTransitions() {
            return events.stream().filter(e -> "StateEntered".equals(e.path("type").asText())).count();
        }

        long retries() {
            return events.stream().filter(e -> "StateRetried".equals(e.path("type").asText())).count();
        }

        /** Simulated time spent in retry pauses of retriers for {@code error}. */
        java.time.Duration retryPausesFor(String error) {
            double seconds = events.stream().filter(e -> "StateRetried".equals(e.path("type").asText()))
                    .filter(e -> e.path("retryOn").toString().contains("\"" + error + "\""))
                    .mapToDouble(e -> e.path("seconds").asDouble()).sum();
            return java.time.Duration.ofMillis(Math.round(seconds * 1000));
        }

        List<String> statesEntered() {
            return events.stream().filter(e -> "StateEntered".equals(e.path("type").asText()))
                    .map(e -> e.path("state").asText()).toList();
        }
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("cdk.json"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run the tests inside the repository (no cdk.json above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    /** Task state name → function logical id, for every Task state (nested branches included). */
    static Map<String, String> taskFunctions(JsonNode definition) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(definition, out);
        return out;
    }

    private static void collect(JsonNode def, Map<String, String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = def.path("States").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode state = e.getValue();
            if ("Task".equals(state.path("Type").asText())) {
                String arn = state.path("Resource").asText();
                if (arn.startsWith("arn:aws:states:::lambda:invoke")) {
                    arn = state.path("Parameters").path("FunctionName").asText();
                }
                if (arn.startsWith("arn:aws:states:::aws-sdk:")) {
                    out.put(e.getKey(), arn.substring("arn:aws:states:::".length()));
                } else if (arn.startsWith("arn:aws:lambda:")) {
                    out.put(e.getKey(), arn.substring(arn.lastIndexOf(':') + 1));
                } else {
                    throw new IllegalStateException("Task " + e.getKey() + " has a resource the harness cannot serve: " + arn);
                }
            }
            state.path("Branches").forEach(b -> collect(b, out));
            if (state.has("Iterator")) {
                collect(state.get("Iterator"), out);
            }
            if (state.has("ItemProcessor")) {
                collect(state.get("ItemProcessor"), out);
            }
        }
    }

    static Result run(HandlerHost host, JsonNode definition, JsonNode input, String executionName, String startTime,
                      String abortAfterState) {
        Path root = repoRoot();
        Path node = root.resolve("node_modules/.bin/node");
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException("Node 22 missing: run `npm ci` in " + root + " first (see README)");
        }
        try {
            ObjectNode request = JSON.createObjectNode();
            request.set("definition", definition);
            request.set("input", input);
            request.put("executionName", executionName);
            request.put("startTime", startTime);
            request.put("endpoint", host.endpoint().toString());
            request.set("taskHandlers", JSON.valueToTree(taskFunctions(definition)));
            if (abortAfterState != null) {
                request.put("abortAfterState", abortAfterState);
            }
            Path file = Files.createTempFile("execution-", ".json");
            Files.writeString(file, request.toString());
            Path script = root.resolve("cdk/src/test/resources/e2e/run-asl.mjs");
            Process p = new ProcessBuilder(node.toString(), script.toString(), file.toString())
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            // a guard against a hung interpreter; executions sharing a clock wait for each other, so allow for that
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the interpreter did not finish");
            }
            Files.deleteIfExists(file);
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0 || text.isEmpty()) {
                throw new IllegalStateException("the interpreter exited " + p.exitValue() + ": " + text);
            }
            JsonNode result = JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
            List<JsonNode> events = new ArrayList<>();
            result.path("events").forEach(events::add);
            return new Result(result.path("status").asText(), result.get("output"),
                    result.path("error").asText(null), result.path("cause").asText(null), events);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
