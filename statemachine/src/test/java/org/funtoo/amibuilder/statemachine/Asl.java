package org.funtoo.amibuilder.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A parsed ASL definition and the walks the tests make through it. */
final class Asl {
    final String text;
    final JsonNode root;
    /** Every state, including those inside Parallel branches, by name. */
    final Map<String, JsonNode> states = new LinkedHashMap<>();

    private Asl(String text, JsonNode root) {
        this.text = text;
        this.root = root;
        collect(root);
    }

    static Asl parse(String text) {
        return new Asl(text, SynthesizedWorkflow.json(text));
    }

    private void collect(JsonNode machine) {
        Iterator<Map.Entry<String, JsonNode>> fields = machine.get("States").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> state = fields.next();
            if (states.put(state.getKey(), state.getValue()) != null) {
                throw new IllegalStateException("state name used twice: " + state.getKey());
            }
            if (state.getValue().has("Branches")) {
                state.getValue().get("Branches").forEach(this::collect);
            }
        }
    }

    JsonNode state(String name) {
        JsonNode state = states.get(name);
        if (state == null) {
            throw new AssertionError("no state " + name + " in " + states.keySet());
        }
        return state;
    }

    String startAt() {
        return root.get("StartAt").asText();
    }

    /** The Choice rule whose Variable is {@code variable}, or null. */
    static JsonNode rule(JsonNode choice, String variable) {
        for (JsonNode rule : choice.get("Choices")) {
            if (variable.equals(rule.path("Variable").asText())) {
                return rule;
            }
        }
        return null;
    }

    /**
     * The states visited from {@code start} until an end: Next is followed, and at each Choice the successor
     * {@code atChoice} picks (given the choice's name and node).
     */
    List<String> walk(String start, Function<String, String> atChoice) {
        List<String> visited = new ArrayList<>();
        String current = start;
        while (current != null) {
            if (visited.contains(current)) {
                throw new AssertionError("walk loops at " + current + ": " + visited);
            }
            visited.add(current);
            JsonNode state = state(current);
            String type = state.get("Type").asText();
            if (type.equals("Choice")) {
                current = atChoice.apply(current);
            } else if (state.has("Next")) {
                current = state.get("Next").asText();
            } else {
                current = null;
            }
        }
        return visited;
    }

    /**
     * A walk through the happy outcome of every wait loop (the rule on {@code $.poll.done}); at any other Choice
     * the rule on the variable given in {@code decisions} (or its Default, for {@code "Default"}; its first rule,
     * for {@code "First"}, whatever it tests; the walk ends at a Choice whose decision is {@code "Stop"}).
     */
    List<String> walk(String start, Map<String, String> decisions) {
        return walk(start, choice -> {
            JsonNode node = state(choice);
            String decision = decisions.get(choice);
            if (decision == null) {
                JsonNode done = rule(node, "$.poll.done");
                if (done == null) {
                    throw new AssertionError("no decision for " + choice);
                }
                return done.get("Next").asText();
            }
            if (decision.equals("Stop")) {
                return null;
            }
            if (decision.equals("Default")) {
                return node.get("Default").asText();
            }
            if (decision.equals("First")) {
                return node.at("/Choices/0/Next").asText();
            }
            JsonNode rule = rule(node, decision);
            if (rule == null) {
                throw new AssertionError(choice + " has no rule on " + decision);
            }
            return rule.get("Next").asText();
        });
    }

    List<String> taskStates() {
        List<String> tasks = new ArrayList<>();
        states.forEach((name, state) -> {
            if (state.get("Type").asText().equals("Task")) {
                tasks.add(name);
            }
        });
        return tasks;
    }
}
