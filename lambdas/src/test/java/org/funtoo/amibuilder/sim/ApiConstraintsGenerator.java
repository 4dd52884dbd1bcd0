package org.funtoo.amibuilder.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkRequest;

/**
 * Generates {@code api-constraints.json} (test resources), the constraints AWS publishes in its service models for
 * every operation the simulated AWS serves: required members, string lengths, patterns, enums, numeric ranges,
 * list and map sizes, and the structures, lists and maps that lead to them. Everything without a constraint is left
 * out, so the table stays small. {@link ApiConstraints} holds every request to the simulation to it.
 *
 * <p>The models are AWS's own, as published in botocore's {@code botocore/data/<service>/<version>/service-2.json};
 * the operations are found by reflection on the simulated clients (each public method taking the SDK's request type
 * of an operation), so an operation added to the simulation is missing from a stale table, which
 * {@code ApiConstraintsTest} notices. Regenerate, never edit, from the repository root:
 *
 * <pre>
 * mvn -B -q -pl lambdas -am test-compile
 * mvn -B -q -pl lambdas exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.funtoo.amibuilder.sim.ApiConstraintsGenerator \
 *     -Dexec.args="../shared/aws-api-models lambdas/src/test/resources/api-constraints.json"
 * </pre>
 */
public final class ApiConstraintsGenerator {
    /** The simulated services: call-log service name, model file, the simulated client class. */
    record Service(String name, String modelFile, Class<?> simClass) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("ec2", "ec2-2016-11-15.json", SimEc2.class),
            new Service("ssm", "ssm-2014-11-06.json", SimSsm.class),
            new Service("states", "stepfunctions-2016-11-23.json", SimSfn.class),
            new Service("sns", "sns-2010-03-31.json", SimSns.class),
            new Service("events", "events-2015-10-07.json", SimEvents.class));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LEAF_CONSTRAINTS = Set.of("min", "max", "pattern", "enum");

    private ApiConstraintsGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ApiConstraintsGenerator MODELS_DIRECTORY OUTPUT_FILE");
            System.exit(2);
        }
        Files.writeString(Path.of(args[1]), generate(Path.of(args[0])), StandardCharsets.UTF_8);
    }

    /** The table's text, deterministic for the same models and simulated operations. */
    static String generate(Path modelsDirectory) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("{\n\"generatedBy\": \"org.funtoo.amibuilder.sim.ApiConstraintsGenerator (regenerate, never edit)\",\n");
        out.append("\"source\": \"AWS service models, botocore/data/<service>/<version>/service-2.json (Apache-2.0)\",\n");
        out.append("\"services\": {");
        boolean firstService = true;
        for (Service service : SERVICES) {
            byte[] bytes = Files.readAllBytes(modelsDirectory.resolve(service.modelFile()));
            JsonNode model = JSON.readTree(bytes);
            out.append(firstService ? "\n" : ",\n");
            firstService = false;
            appendService(out, service, model, sha256(bytes));
        }
        out.append("\n}\n}\n");
        return out.toString();
    }

    private static void appendService(StringBuilder out, Service service, JsonNode model, String digest) {
        JsonNode shapes = model.path("shapes");
        Map<String, String> operations = new TreeMap<>();
        for (String operation : servedOperations(service.simClass())) {
            JsonNode op = model.path("operations").path(operation);
            if (op.isMissingNode()) {
                throw new IllegalStateException(service.name() + " model has no operation " + operation);
            }
            operations.put(operation, op.path("input").path("shape").asText(""));
        }
        Map<String, Boolean> kept = new HashMap<>();
        for (String input : operations.values()) {
            if (!input.isEmpty()) {
                keep(input, shapes, kept, new HashSet<>());
            }
        }
        out.append('"').append(service.name()).append("\": {\n");
        out.append("  \"model\": ").append(quote(service.modelFile())).append(", \"sha256\": ").append(quote(digest))
                .append(", \"apiVersion\": ").append(quote(model.path("metadata").path("apiVersion").asText()))
                .append(",\n  \"operations\": {");
        boolean first = true;
        for (var e : operations.entrySet()) {
            out.append(first ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": ")
                    .append(quote(Boolean.TRUE.equals(kept.get(e.getValue())) ? e.getValue() : ""));
            first = false;
        }
        out.append("\n  },\n  \"shapes\": {");
        first = true;
        for (String name : new TreeSet<>(kept.keySet())) {
            if (!kept.get(name)) {
                continue;
            }
            out.append(first ? "\n" : ",\n").append("    ").append(quote(name)).append(": ")
                    .append(compact(name, shapes.path(name), shapes, kept));
            first = false;
        }
        out.append("\n  }\n}");
    }

    /** Operations the simulated client implements itself: its public methods taking an operation's request. */
    static Set<String> servedOperations(Class<?> simClass) {
        Set<String> out = new TreeSet<>();
        for (Method m : simClass.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.getParameterCount() != 1) {
                continue;
            }
            Class<?> param = m.getParameterTypes()[0];
            if (SdkRequest.class.isAssignableFrom(param) && param.getSimpleName().endsWith("Request")) {
                out.add(param.getSimpleName().substring(0, param.getSimpleName().length() - "Request".length()));
            }
        }
        return out;
    }

    /** Whether a shape carries a constraint itself or leads to one; decided once per shape. */
    private static boolean keep(String name, JsonNode shapes, Map<String, Boolean> kept, Set<String> visiting) {
        if (kept.containsKey(name)) {
            return kept.get(name);
        }
        if (!visiting.add(name)) {
            return false; // a recursive shape: its constraints are found on the way in
        }
        JsonNode shape = shapes.path(name);
        boolean keep = false;
        Iterator<String> fields = shape.fieldNames();
        while (fields.hasNext()) {
            if (LEAF_CONSTRAINTS.contains(fields.next())) {
                keep = true;
            }
        }
        switch (shape.path("type").asText()) {
            case "structure" -> {
                keep |= shape.path("required").size() > 0;
                for (var m : iterable(shape.path("members").fields())) {
                    keep |= keep(m.getValue().path("shape").asText(), shapes, kept, visiting);
                }
            }
            case "list" -> keep |= keep(shape.path("member").path("shape").asText(), shapes, kept, visiting);
            case "map" -> {
                keep |= keep(shape.path("key").path("shape").asText(), shapes, kept, visiting);
                keep |= keep(shape.path("value").path("shape").asText(), shapes, kept, visiting);
            }
            default -> {
            }
        }
        visiting.remove(name);
        kept.put(name, keep);
        return keep;
    }

    /** One shape on one line: its type, constraints, and only the members that are required or lead somewhere. */
    private static String compact(String name, JsonNode shape, JsonNode shapes, Map<String, Boolean> kept) {
        ObjectNode out = JSON.createObjectNode();
        String type = shape.path("type").asText();
        out.put("type", type);
        for (String c : List.of("min", "max")) {
            if (shape.has(c)) {
                out.set(c, shape.get(c));
            }
        }
        if (shape.has("pattern")) {
            out.put("pattern", shape.get("pattern").asText());
        }
        if (shape.has("enum")) {
            ArrayNode values = out.putArray("enum");
            shape.get("enum").forEach(values::add);
        }
        switch (type) {
            case "structure" -> {
                if (shape.path("required").size() > 0) {
                    ArrayNode required = out.putArray("required");
                    shape.get("required").forEach(required::add);
                }
                ObjectNode members = out.putObject("members");
                Set<String> required = new HashSet<>();
                shape.path("required").forEach(r -> required.add(r.asText()));
                for (var m : iterable(shape.path("members").fields())) {
                    String target = m.getValue().path("shape").asText();
                    if (Boolean.TRUE.equals(kept.get(target)) || required.contains(m.getKey())) {
                        members.put(m.getKey(), Boolean.TRUE.equals(kept.get(target)) ? target : "");
                    }
                }
            }
            case "list" -> out.put("member", keptOrEmpty(shape.path("member").path("shape").asText(), kept));
            case "map" -> {
                out.put("key", keptOrEmpty(shape.path("key").path("shape").asText(), kept));
                out.put("value", keptOrEmpty(shape.path("value").path("shape").asText(), kept));
            }
            default -> {
            }
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new IllegalStateException(name, e);
        }
    }

    private static String keptOrEmpty(String shape, Map<String, Boolean> kept) {
        return Boolean.TRUE.equals(kept.get(shape)) ? shape : "";
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        return () -> it;
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
