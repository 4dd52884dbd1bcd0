package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.input.ValidateInputHandler;

/**
 * Executes a synthesized definition with aws-local-stepfunctions (Node 22 from package.json), its Task states
 * answered by scripted steps ({@code run-workflow.cjs}). Checks the workflow's own logic: where errors go, what
 * runs after them, what the execution ends with.
 */
final class LocalRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String EXECUTION_NAME = "build-1";
    static final Instant START_TIME = Instant.parse("2026-01-01T00:00:00Z");
    static final String REGION = "us-east-1";

    private final Map<String, Object> input = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> tasks = new LinkedHashMap<>();

    record Execution(String status, String error, String cause, JsonNode output, List<String> tasks) {
        /** The Task states called after the first call of {@code state}. */
        List<String> tasksAfter(String state) {
            return tasks.subList(tasks.indexOf(state) + 1, tasks.size());
        }

        long calls(String state) {
            return tasks.stream().filter(state::equals).count();
        }
    }

    LocalRun input(String key, Object value) {
        input.put(key, value);
        return this;
    }

    LocalRun answers(String state, Map<String, Object> step) {
        tasks.computeIfAbsent(state, s -> new ArrayList<>()).add(step);
        return this;
    }

    LocalRun fails(String state, String error, String cause) {
        return answers(state, Map.of("error", error, "cause", cause));
    }

    /** The Task fails with a handler's named error, as Lambda's Java runtime reports it ({@link ErrorName#errorType()}). */
    LocalRun fails(String state, ErrorName error, String cause) {
        return fails(state, error.errorType(), cause);
    }

    /** A check that looks once more than the loop allows: not done, then past the deadline. */
    LocalRun neverDone(String check, String loop) {
        answers(check, Map.of("result", Map.of("loop", loop, "done", false, "timedOut", false, "waitSeconds", 30)));
        return answers(check, Map.of("result", Map.of("loop", loop, "done", false, "timedOut", true,
                "waitSeconds", 30)));
    }

    /**
     * What the first state makes of an input: the real {@link ValidateInputHandler}'s document, or the error it
     * throws, as the scenario's answer of the ValidateInput Task (which checks it was passed exactly this input).
     */
    static Map<String, Object> validated(Map<String, Object> input) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("input", input);
        event.put("buildId", EXECUTION_NAME);
        event.put("startedAt", START_TIME.toString());
        try {
            return Map.of("result", new ValidateInputHandler(HandlerDependencies.builder()
                    .clock(Clock.fixed(START_TIME, ZoneOffset.UTC))
                    .environment(Map.of(Env.AWS_REGION, REGION)).build())
                    .handleRequest(event, null));
        } catch (BuildFailure failure) {
            return Map.of("error", failure.getClass().getName(), "cause", failure.getMessage());
        }
    }

    Execution run(String definition) {
        try {
            Path root = Path.of(System.getProperty("amibuilder.repoRoot", "..")).toAbsolutePath().normalize();
            Path node = root.resolve("node_modules/.bin/node");
            assertTrue(Files.isExecutable(node) && Files.isDirectory(root.resolve("node_modules/aws-local-stepfunctions")),
                    "Node 22 and aws-local-stepfunctions are missing: run `npm ci` in " + root + " first");
            Path dir = Files.createTempDirectory("amibuilder-local-run");
            Path script = dir.resolve("run-workflow.cjs");
            try (InputStream in = LocalRun.class.getResourceAsStream("/run-workflow.cjs")) {
                Files.copy(in, script);
            }
            Path definitionFile = Files.writeString(dir.resolve("definition.json"), definition);
            Path scenarioFile = dir.resolve("scenario.json");
            Map<String, Object> scenario = new LinkedHashMap<>();
            scenario.put("input", input);
            scenario.put("executionName", EXECUTION_NAME);
            scenario.put("validated", validated(input));
            scenario.put("tasks", tasks);
            JSON.writeValue(scenarioFile.toFile(), scenario);
            Process process = new ProcessBuilder(node.toString(), script.toString(), root.toString(),
                    definitionFile.toString(), scenarioFile.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the local execution did not finish");
            String last = output.strip().lines().reduce((a, b) -> b).orElse("");
            JsonNode result = JSON.readTree(last);
            List<String> called = new ArrayList<>();
            result.path("tasks").forEach(task -> called.add(task.asText()));
            return new Execution(result.path("status").asText(), result.path("error").asText(null),
                    result.path("cause").asText(null), result.path("output"), called);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
