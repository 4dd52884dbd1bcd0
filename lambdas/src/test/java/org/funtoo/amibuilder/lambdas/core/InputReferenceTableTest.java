package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lambdas/README.md's reference of the execution input is generated from schema/build-input.schema.json: the table
 * between the input-table markers must be exactly what the schema gives (run with {@code -Dregenerate=true} to
 * write it), and the defaults the schema describes in words are the ones {@link Defaults} computes.
 */
class InputReferenceTableTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = BootstrapParameterFilesTest.repoRoot();
    static final String BEGIN = "<!-- input-table: generated from schema/build-input.schema.json by InputReferenceTableTest -->";
    static final String END = "<!-- input-table: end -->";

    static String table() throws IOException {
        JsonNode schema = JSON.readTree(ROOT.resolve("schema/build-input.schema.json").toFile());
        List<String> rows = new ArrayList<>(List.of("| field | allowed | default | meaning |", "|---|---|---|---|"));
        row(schema, schema, "", rows);
        rows.add("");
        rows.add("Rules across fields (checked by the first state, `core/InputValidator.java`):");
        rows.add("");
        schema.path("x-crossFieldRules").forEach(rule -> rows.add("- " + rule.asText()));
        return String.join("\n", rows) + "\n";
    }

    private static void row(JsonNode schema, JsonNode node, String path, List<String> rows) {
        node.path("properties").fields().forEachRemaining(e -> {
            String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode value = resolved(schema, e.getValue());
            if ("object".equals(value.path("type").asText()) && value.has("properties")) {
                row(schema, value, field, rows);
                return;
            }
            String description = e.getValue().has("description") ? e.getValue().path("description").asText()
                    : value.path("description").asText();
            String allowed = e.getValue().has("$ref") ? value.path("description").asText()
                    : allowed(schema, value);
            JsonNode withDefault = e.getValue().has("default") || e.getValue().has("x-default") ? e.getValue() : value;
            rows.add("| `" + field + "` | " + allowed + " | " + defaultOf(withDefault) + " | " + description + " |");
        });
    }

    private static JsonNode resolved(JsonNode schema, JsonNode node) {
        return node.has("$ref") ? schema.at(node.path("$ref").asText().substring(1)) : node;
    }

    private static String allowed(JsonNode schema, JsonNode value) {
        String type = value.path("type").asText();
        if (value.has("enum")) {
            List<String> values = new ArrayList<>();
            value.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            return String.join(", ", values);
        }
        return switch (type) {
            case "boolean" -> "boolean";
            case "integer" -> "whole number " + value.path("minimum").asText() + "–" + value.path("maximum").asText();
            case "array" -> "≤ " + value.path("maxItems").asText() + " of: " + (value.path("items").has("$ref")
                    ? resolved(schema, value.path("items")).path("description").asText()
                    : allowed(schema, value.path("items")));
            case "object" -> "≤ " + value.path("maxProperties").asText() + " entries (key ≤ "
                    + value.path("propertyNames").path("maxLength").asText() + ", value ≤ "
                    + value.path("additionalProperties").path("maxLength").asText() + " characters)";
            default -> value.has("pattern") ? "`" + value.path("pattern").asText().replace("|", "\\|") + "`"
                    : "text of ≤ " + value.path("maxLength").asText() + " characters";
        };
    }

    private static String defaultOf(JsonNode value) {
        if (value.has("default")) {
            return "`" + value.path("default").toString().replace("\"", "") + "`";
        }
        return value.has("x-default") ? value.path("x-default").asText().replace("|", "\\|") : "none";
    }

    @Test
    void theReadmesInputTableIsTheSchemas() throws IOException {
        Path readme = ROOT.resolve("lambdas/README.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "lambdas/README.md has the input-table markers");
        String expected = table();
        String actual = text.substring(begin + BEGIN.length() + 1, end);
        if (Boolean.getBoolean("regenerate") && !expected.equals(actual)) {
            Files.writeString(readme, text.substring(0, begin + BEGIN.length() + 1) + expected + text.substring(end));
            actual = expected;
        }
        assertEquals(expected, actual, "lambdas/README.md's input table differs from the schema: regenerate it with"
                + " mvn -B -q -pl lambdas test -Dtest=InputReferenceTableTest -Dregenerate=true");
    }

    /** The defaults that depend on the distribution or the architecture: the schema's words, Defaults' values. */
    @Test
    void theDefaultsTheSchemaDescribesAreTheOnesDefaultsComputes() throws IOException {
        JsonNode schema = JSON.readTree(ROOT.resolve("schema/build-input.schema.json").toFile());
        for (var build : List.of(List.of("funtoo", "x86_64"), List.of("gentoo", "x86_64"), List.of("gentoo", "arm64"))) {
            String distribution = build.get(0);
            String arch = build.get(1);
            Map<String, String> values = Map.of(
                    "/properties/stage3/properties/baseUrl", Defaults.stage3BaseUrl(distribution),
                    "/properties/stage3/properties/release", Defaults.stage3Release(distribution),
                    "/properties/stage3/properties/subarch", Defaults.stage3Subarch(distribution, arch),
                    "/properties/image/properties/bootMode", Defaults.bootMode(arch),
                    "/properties/helper/properties/instanceType", Defaults.helperInstanceType(arch),
                    "/properties/smokeTest/properties/instanceType", Defaults.smokeTestInstanceType(arch));
            values.forEach((pointer, value) -> assertTrue(
                    schema.at(pointer).path("x-default").asText().contains("`" + value + "`"),
                    () -> pointer + "'s x-default does not name " + value + " (" + distribution + ", " + arch + ")"));
        }
    }
}
