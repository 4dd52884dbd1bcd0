package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The published input schema (schema/build-input.schema.json), checked with a maintained JSON Schema library
 * (networknt json-schema-validator, draft 2020-12): the README's examples are valid, the schema and the first
 * state agree on generated inputs, and what both accept the deployed SSM document accepts too.
 */
class InputSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = BootstrapParameterFilesTest.repoRoot();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(read(ROOT.resolve("schema/build-input.schema.json")));
    private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> schemaErrors(JsonNode input) {
        return SCHEMA.validate(input).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    /**
     * {@code {}} and every ```json block of README.md whose fields are all input fields (the others there are an
     * execution's output and events, checked by OutputSchemaTest).
     */
    static Stream<JsonNode> readmeInputs() throws IOException {
        List<JsonNode> inputs = new ArrayList<>();
        inputs.add(JSON.readTree("{}"));
        JsonNode properties = JSON.readTree(ROOT.resolve("schema/build-input.schema.json").toFile()).path("properties");
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(ROOT.resolve("README.md")));
        while (m.find()) {
            JsonNode block = JSON.readTree(m.group(1));
            List<String> fields = new ArrayList<>();
            block.fieldNames().forEachRemaining(fields::add);
            if (!fields.isEmpty() && fields.stream().allMatch(properties::has)) {
                inputs.add(block);
            }
        }
        return inputs.stream();
    }

    @Test
    void theReadmesExampleInputsAreValidAndAcceptedByTheFirstState() throws IOException {
        List<JsonNode> inputs = readmeInputs().toList();
        assertTrue(inputs.size() >= 2, "the README's example input is found: " + inputs);
        for (JsonNode input : inputs) {
            assertEquals(List.of(), schemaErrors(input), input.toString());
            InputValidator.validate(JSON.convertValue(input, Map.class), "readme-example", START, "us-east-1");
        }
    }

    @Test
    void theSchemaRefusesWhatTheFirstStateRefusesForItsShape() throws IOException {
        for (String bad : List.of("{\"distribution\": \"ubuntu\"}", "{\"typo\": true}",
                "{\"stage3\": {\"subarch\": \"a b\"}}", "{\"image\": {\"volumeSizeGiB\": 4}}",
                "{\"bootstrap\": {\"extraPackages\": [\"vim\"]}}", "{\"stage3\": {\"url\": \"http://x.org/a\"}}",
                "{\"publish\": {\"ssmParameterName\": \"/elsewhere/x\"}}")) {
            assertTrue(!schemaErrors(JSON.readTree(bad)).isEmpty(), bad);
        }
    }

    /**
     * Inputs made of the characters the bootstrap fields' rules are about, valid and not: whatever the schema
     * accepts the first state accepts (and the other way round), and every parameter the handler then sends
     * matches the deployed document's allowedPattern, so SSM never refuses a build after its network and helper
     * exist. The cross-field rules are kept satisfied; they are the first state's (InputValidatorTest).
     */
    @Test
    void whatTheSchemaAcceptsTheFirstStateAcceptsAndTheSsmDocumentAcceptsToo() {
        Map<String, Pattern> document = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> parameters = (Map<String, Map<String, Object>>) BootstrapCommandDocument
                .content("https://bucket.s3.amazonaws.com/a.zip", "a.zip", 3600).get("parameters");
        parameters.forEach((name, p) -> document.put(name, Pattern.compile((String) p.get("allowedPattern"))));
        Random random = new Random(20261202L);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            Map<String, Object> input = generated(random);
            JsonNode node = JSON.valueToTree(input);
            boolean schemaOk = schemaErrors(node).isEmpty();
            Map<String, Object> config = null;
            String refusal = null;
            try {
                config = InputValidator.validate(input, "build-" + i, START, "us-east-1");
            } catch (BuildFailure failure) {
                refusal = failure.getMessage();
            }
            String why = refusal;
            assertEquals(schemaOk, config != null, () -> node + "\nschema: " + schemaErrors(node) + "\nfirst state: " + why);
            if (config == null) {
                refused++;
                continue;
            }
            accepted++;
            BuildConfig build = new BuildConfig(Section.of("config", config));
            BootstrapParameter.parameters(build, "vol-0123456789abcdef0").forEach((name, values) ->
                    assertTrue(document.get(name).matcher(values.get(0)).matches(),
                            () -> name + "=" + values.get(0) + " is refused by the document; input " + node));
        }
        assertTrue(accepted > 300 && refused > 300, "both kinds generated: " + accepted + " accepted, " + refused);
    }

    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789._-+_";
    private static final String NOISE = " ;$/:@*=~<>'\"\n\t%?&#!";

    private static String chars(Random random, String alphabet, int min, int max) {
        StringBuilder s = new StringBuilder();
        int length = min + random.nextInt(max - min + 1);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Mostly valid characters, now and then one that is not. */
    private static String name(Random random, int min, int max) {
        String s = chars(random, NAME_CHARS, min, max);
        if (random.nextInt(8) == 0 && !s.isEmpty()) {
            int at = random.nextInt(s.length());
            s = s.substring(0, at) + NOISE.charAt(random.nextInt(NOISE.length())) + s.substring(at + 1);
        }
        return s;
    }

    private static String url(Random random) {
        String scheme = random.nextInt(20) == 0 ? "http://" : "https://";
        String port = random.nextInt(4) == 0 ? ":" + random.nextInt(99999) : "";
        String path = random.nextBoolean() ? "" : "/" + name(random, 0, 12) + "/" + name(random, 0, 12);
        return scheme + chars(random, "abcxyz0123.-", 1, 12) + port + path;
    }

    private static String atom(Random random) {
        String[] operators = {"", "", "", ">=", "<=", "=", "~", "<", ">"};
        String operator = operators[random.nextInt(operators.length)];
        String atom = operator + name(random, 1, 8) + "/" + name(random, 1, 10);
        if (!operator.isEmpty() && random.nextInt(5) != 0 || random.nextInt(4) == 0) {
            atom += "-" + random.nextInt(20) + "." + random.nextInt(99);
        }
        if (random.nextInt(6) == 0) {
            atom += "*";
        }
        if (random.nextInt(3) == 0) {
            atom += ":" + name(random, 1, 5) + (random.nextBoolean() ? "" : "/" + name(random, 1, 3))
                    + (random.nextInt(4) == 0 ? "=" : "");
        }
        if (random.nextInt(4) == 0) {
            atom += "::" + name(random, 1, 8);
        }
        return atom;
    }

    private static String hostname(Random random) {
        List<String> labels = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            labels.add(random.nextInt(10) == 0 ? "-" + name(random, 0, 5) : chars(random, "abcXYZ019-", 1, 20)
                    + chars(random, "abc0", 1, 1));
        }
        return String.join(".", labels);
    }

    private static Map<String, Object> generated(Random random) {
        Map<String, Object> input = new LinkedHashMap<>();
        boolean gentoo = random.nextBoolean();
        boolean arm64 = gentoo && random.nextBoolean();
        input.put("distribution", gentoo ? "gentoo" : "funtoo");
        input.put("architecture", arm64 ? "arm64" : "x86_64");
        Map<String, Object> stage3 = new LinkedHashMap<>();
        if (random.nextInt(4) == 0) {
            stage3.put("url", url(random));
        } else {
            if (random.nextBoolean()) {
                stage3.put("baseUrl", url(random));
            }
            if (random.nextBoolean()) {
                stage3.put("release", name(random, 0, 66));
            }
            if (random.nextBoolean()) {
                stage3.put("subarch", name(random, 0, 66));
            }
        }
        if (random.nextBoolean()) {
            String hex = chars(random, "0123456789abcdefABCDEF", 64, 64);
            stage3.put("sha256", random.nextInt(10) == 0 ? hex.substring(1) + "g" : hex);
            stage3.put("verifySignature", random.nextBoolean());
        }
        input.put("stage3", stage3);
        Map<String, Object> bootstrap = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            bootstrap.put("hostname", hostname(random));
        }
        List<String> atoms = new ArrayList<>();
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
            atoms.add(atom(random));
        }
        bootstrap.put("extraPackages", atoms);
        input.put("bootstrap", bootstrap);
        if (!arm64 && random.nextBoolean()) {
            input.put("image", Map.of("bootMode", List.of("legacy-bios", "uefi", "uefi-preferred").get(random.nextInt(3))));
        }
        return input;
    }
}
