package org.funtoo.amibuilder.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Command document (schemaVersion 2.2) as SSM reads it: its parameters with their constraints and its steps.
 * SendCommand's parameters are validated here the way SSM does before anything reaches an instance.
 */
final class SsmDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.\\-]{3,128}");
    private static final Set<String> TYPES = Set.of("String", "StringList", "Boolean", "Integer", "MapList",
            "StringMap");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");
    /** aws:runShellScript's execution timeout when a step does not set timeoutSeconds. */
    private static final long DEFAULT_STEP_TIMEOUT_SECONDS = 3600;

    /** One declared parameter; {@code defaultValue == null} means the parameter is required. */
    record Parameter(String name, String type, List<String> defaultValue, Pattern allowedPattern,
                     List<String> allowedValues, Integer minChars, Integer maxChars) {
        boolean singleValued() {
            return !type.equals("StringList") && !type.equals("MapList");
        }
    }

    private record Step(String name, String action, JsonNode timeoutSeconds) {
    }

    private final String name;
    private final Map<String, Parameter> parameters;
    private final List<Step> steps;

    private SsmDocument(String name, Map<String, Parameter> parameters, List<Step> steps) {
        this.name = name;
        this.parameters = parameters;
        this.steps = steps;
    }

    /** Reads a document the way CreateDocument would accept it; malformed content is a test-setup error. */
    static SsmDocument parse(String name, String contentJson) {
        if (!NAME.matcher(name).matches() || name.startsWith("AWS-") || name.toLowerCase().startsWith("amazon")
                || name.toLowerCase().startsWith("amzn")) {
            throw new IllegalArgumentException("not a document name an account can create: " + name);
        }
        JsonNode root;
        try {
            root = JSON.readTree(contentJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("document " + name + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!"2.2".equals(root.path("schemaVersion").asText())) {
            throw new IllegalArgumentException("document " + name + ": a Command document has schemaVersion 2.2");
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        root.path("parameters").properties().forEach(e -> parameters.put(e.getKey(),
                parameter(name, e.getKey(), e.getValue())));
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : root.path("mainSteps")) {
            if (!step.hasNonNull("name") || !step.hasNonNull("action")) {
                throw new IllegalArgumentException("document " + name + ": every step has a name and an action");
            }
            JsonNode timeout = step.path("inputs").path("timeoutSeconds");
            if (!timeout.isMissingNode() && !timeout.asText().trim().matches("\\d+")
                    && !REFERENCE.matcher(timeout.asText().trim()).matches()) {
                throw new IllegalArgumentException("document " + name + ": timeoutSeconds of step "
                        + step.get("name").asText() + " is neither seconds nor a {{ parameter }}");
            }
            steps.add(new Step(step.get("name").asText(), step.get("action").asText(), timeout));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("document " + name + " has no mainSteps");
        }
        return new SsmDocument(name, parameters, steps);
    }

    private static Parameter parameter(String document, String name, JsonNode node) {
        String type = node.path("type").asText();
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("document " + document + ": parameter " + name + " has type " + type);
        }
        Pattern pattern = null;
        if (node.hasNonNull("allowedPattern")) {
            try {
                pattern = Pattern.compile(node.get("allowedPattern").asText());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("document " + document + ": parameter " + name
                        + " has an invalid allowedPattern", e);
            }
        }
        List<String> allowedValues = node.has("allowedValues") ? texts(node.get("allowedValues")) : List.of();
        List<String> defaultValue = node.has("default") ? texts(node.get("default")) : null;
        Parameter p = new Parameter(name, type, defaultValue, pattern, allowedValues,
                node.has("minChars") ? node.get("minChars").asInt() : null,
                node.has("maxChars") ? node.get("maxChars").asInt() : null);
        if (defaultValue != null) {
            // a default that breaks its own constraints would make every send that omits it fail
            String problem = problem(p, defaultValue);
            if (problem != null) {
                throw new IllegalArgumentException("document " + document + ": default of " + problem);
            }
        }
        return p;
    }

    private static List<String> texts(JsonNode node) {
        if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(v -> values.add(v.isTextual() ? v.asText() : v.toString()));
            return List.copyOf(values);
        }
        return List.of(node.isTextual() ? node.asText() : node.toString());
    }

    String name() {
        return name;
    }

    List<String> stepNames() {
        return steps.stream().map(Step::name).toList();
    }

    /**
     * The parameter values the instance runs with (given values plus defaults), or InvalidParameters when a
     * parameter is unknown, missing or breaks its type, allowedPattern, allowedValues or length constraints.
     */
    Map<String, List<String>> resolve(Map<String, List<String>> given) {
        for (String key : given.keySet()) {
            if (!parameters.containsKey(key)) {
                throw invalid("Parameter \"" + key + "\" is not defined in document " + name + ".");
            }
        }
        Map<String, List<String>> effective = new LinkedHashMap<>();
        for (Parameter p : parameters.values()) {
            List<String> values = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
            if (values == null) {
                throw invalid("Parameter \"" + p.name() + "\" is required by document " + name
                        + " but was not provided.");
            }
            String problem = problem(p, values);
            if (problem != null) {
                throw invalid(problem);
            }
            effective.put(p.name(), List.copyOf(values));
        }
        return effective;
    }

    /**
     * How long the steps may run before the agent kills them: the sum of the steps' {@code timeoutSeconds}
     * (3600 each by default; a {@code {{ parameter }}} reference is resolved from the effective values).
     */
    Duration executionTimeout(Map<String, List<String>> effective) {
        long seconds = 0;
        for (Step step : steps) {
            JsonNode t = step.timeoutSeconds();
            if (t.isMissingNode() || t.isNull()) {
                seconds += DEFAULT_STEP_TIMEOUT_SECONDS;
                continue;
            }
            String text = t.asText();
            Matcher ref = REFERENCE.matcher(text.trim());
            if (ref.matches() && effective.containsKey(ref.group(1))) {
                text = effective.get(ref.group(1)).get(0);
            }
            seconds += Long.parseLong(text.trim());
        }
        return Duration.ofSeconds(seconds);
    }

    private static String problem(Parameter p, List<String> values) {
        if (p.singleValued() && values.size() != 1) {
            return "Parameter \"" + p.name() + "\" of type " + p.type() + " takes exactly one value, got "
                    + values.size() + ".";
        }
        for (String v : values) {
            if (p.type().equals("Boolean") && !v.equals("true") && !v.equals("false")) {
                return "Parameter \"" + p.name() + "\" is a Boolean; \"" + v + "\" is not true or false.";
            }
            if (p.type().equals("Integer") && !v.matches("-?\\d+")) {
                return "Parameter \"" + p.name() + "\" is an Integer; \"" + v + "\" is not.";
            }
            // searched, not matched whole: the stricter reading, so an unanchored pattern in the stack cannot
            // pass here while letting shell metacharacters through; AWS's own examples anchor (^...$) anyway
            if (p.allowedPattern() != null && !p.allowedPattern().matcher(v).find()) {
                return "Parameter \"" + p.name() + "\" \"" + v + "\" failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: " + p.allowedPattern().pattern();
            }
            if (!p.allowedValues().isEmpty() && !p.allowedValues().contains(v)) {
                return "Parameter \"" + p.name() + "\" \"" + v + "\" failed to satisfy constraint: "
                        + "Member must satisfy enum value set: " + p.allowedValues();
            }
            if (p.minChars() != null && v.length() < p.minChars()
                    || p.maxChars() != null && v.length() > p.maxChars()) {
                return "Parameter \"" + p.name() + "\" \"" + v + "\" has " + v.length()
                        + " characters, outside [" + p.minChars() + ", " + p.maxChars() + "].";
            }
        }
        return null;
    }

    private static ServiceRejection invalid(String message) {
        return new ServiceRejection("InvalidParameters", message);
    }
}
