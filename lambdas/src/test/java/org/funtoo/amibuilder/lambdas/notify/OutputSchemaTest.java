package org.funtoo.amibuilder.lambdas.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

/**
 * The published output declaration (schema/build-output.schema.json) against what the handlers really produce:
 * the execution's output (SummarizeBuildHandler, the last state) and the details of the two completion events.
 */
class OutputSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_TEXT = read();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static String read() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("schema"))) {
            p = p.getParent();
        }
        try {
            return Files.readString(p.resolve("schema/build-output.schema.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Errors of {@code value} against the schema's root, or against one of its $defs. */
    static List<String> errors(Object value, String def) {
        String text = SCHEMA_TEXT;
        if (def != null) {
            try {
                var root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(SCHEMA_TEXT);
                var only = JSON.createObjectNode().put("$schema", root.path("$schema").asText());
                only.set("$defs", root.path("$defs"));
                only.put("$ref", "#/$defs/" + def);
                text = only.toString();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        Schema schema = REGISTRY.getSchema(text);
        return schema.validate(JSON.valueToTree(value)).stream().map(e -> e.getInstanceLocation() + ": "
                + e.getMessage()).toList();
    }

    @Test
    void theExecutionsOutputIsAsDeclared() {
        Fixture f = new Fixture("{\"publish\":{\"copyToRegions\":[\"eu-west-1\"]}}");
        Map<String, Object> resources = new LinkedHashMap<>(f.copiesAvailable());
        resources.put(Resources.BOOTSTRAP_PHASES, "check-helper:3,fetch-stage3:41,finish:7");
        Map<String, Object> out = new SummarizeBuildHandler(f.deps()).handleRequest(f.doc(resources), null);
        assertEquals(List.of(), errors(out, null), out.toString());
        assertFalse(((Map<?, ?>) out.get("copies")).isEmpty());
    }

    @Test
    void theCompletionEventsDetailsAreAsDeclared() throws Exception {
        Fixture f = new Fixture("{\"publish\":{\"copyToRegions\":[\"eu-west-1\"]}}");
        String topic = f.aws.sns().createTopic(r -> r.name("builds")).topicArn();
        new NotifySuccessHandler(f.deps(Env.NOTIFICATION_TOPIC_ARN, topic))
                .handleRequest(f.doc(f.copiesAvailable()), null);
        Map<String, Object> failed = f.doc(Map.of());
        failed.put("error", Map.of("Error", ErrorName.BootstrapFailed.errorType(), "Cause", "bootstrap failed in phase fetch-stage3: x"));
        new NotifyFailureHandler(f.deps(Env.NOTIFICATION_TOPIC_ARN, topic)).handleRequest(failed, null);
        var events = f.aws.events().published();
        assertEquals("AMI Build Succeeded", events.get(0).detailType());
        assertEquals(List.of(), errors(JSON.readTree(events.get(0).detail()), "buildSucceededDetail"));
        assertEquals("AMI Build Failed", events.get(1).detailType());
        assertEquals(List.of(), errors(JSON.readTree(events.get(1).detail()), "buildFailedDetail"));
    }

    @Test
    void theReadmesOutputExampleIsAsDeclared() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("schema"))) {
            root = root.getParent();
        }
        var m = java.util.regex.Pattern.compile("```json\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                .matcher(Files.readString(root.resolve("README.md")));
        int outputs = 0;
        while (m.find()) {
            JsonNode block = JSON.readTree(m.group(1));
            if (block.has("imageId")) {
                outputs++;
                assertEquals(List.of(), errors(block, null), block.toString());
            }
        }
        assertEquals(1, outputs, "README.md shows one execution output");
    }

    @Test
    void theDeclarationRefusesAnOutputWithoutItsImage() {
        assertFalse(errors(Map.of("imageName", "x"), null).isEmpty());
        JsonNode unused = JSON.createObjectNode();
        assertFalse(errors(unused, "buildFailedDetail").isEmpty());
    }
}
