package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/** cdk-nag's AwsSolutions pack, run as a validation plugin on the synthesized app. */
class CdkNagTest {
    private static final String PACK = "AwsSolutions";

    @Test
    void awsSolutionsHasNoUnacknowledgedFinding() {
        List<String> findings = findings(SynthesizedApp.get().validationReport());
        assertEquals(List.of(), findings, "unacknowledged cdk-nag findings");
    }

    @Test
    void theHarnessSeesFindingsWhenThereAreSome() throws Exception {
        Path outdir = Files.createTempDirectory("amibuilder-nag-control");
        App app = new App(AppProps.builder()
                .outdir(outdir.toString())
                .context(SynthesizedApp.cdkJsonContext(Map.of("@aws-cdk/core:failSynthOnValidationErrors", false)))
                .build());
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        Topic.Builder.create(new Stack(app, "NagControl"), "PlainTopic").build();
        app.synth();
        List<String> findings = findings(SynthesizedApp.JSON.readTree(
                outdir.resolve("validation-report.json").toFile()));
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("AwsSolutions-SNS3")), findings.toString());
    }

    @Test
    void everyAcknowledgmentGivesAReasonOfItsOwn() {
        for (SynthesizedApp.Synthesized stack : List.of(SynthesizedApp.get().stack, SynthesizedApp.get().configured)) {
            Map<String, String> acknowledged = acknowledgments(stack.construct());
            assertFalse(acknowledged.isEmpty());
            acknowledged.forEach((finding, reason) -> {
                assertTrue(finding.startsWith(PACK + "-"), finding);
                assertTrue(reason.length() >= 60, finding + ": reason too short to be specific: " + reason);
            });
            assertTrue(acknowledged.values().stream().distinct().count() >= 8,
                    "the reasons are specific, not one text pasted everywhere");
        }
    }

    /** The AwsSolutions violations of a validation report, with the constructs they concern. */
    static List<String> findings(JsonNode report) {
        List<String> findings = new ArrayList<>();
        for (JsonNode plugin : report.path("pluginReports")) {
            if (!plugin.path("pluginName").asText().equals(PACK)) {
                continue;
            }
            for (JsonNode violation : plugin.path("violations")) {
                List<String> constructs = new ArrayList<>();
                violation.path("violatingConstructs").forEach(c -> constructs.add(c.path("constructPath").asText()));
                findings.add(violation.path("ruleName").asText() + " " + constructs);
            }
        }
        return findings;
    }

    /** Finding id → reason, from every construct of the stack. */
    private static Map<String, String> acknowledgments(IConstruct root) {
        Map<String, String> acknowledged = new LinkedHashMap<>();
        for (IConstruct construct : root.getNode().findAll()) {
            for (MetadataEntry entry : construct.getNode().getMetadata()) {
                if (entry.getType().equals(Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
                        && entry.getData() instanceof Map<?, ?> data) {
                    data.forEach((id, reason) -> acknowledged.put(
                            id.toString().replaceFirst("^(?i)annotation::", ""), reason.toString()));
                }
            }
        }
        return acknowledged;
    }
}
