package org.funtoo.amibuilder.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.funtoo.amibuilder.statemachine.AslRenderer;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The app synthesized once for every test class (synthesis costs seconds), with cdk-nag's AwsSolutions pack
 * registered as a validation plugin. Synthesis does not stop at findings: the nag test reads them from the
 * validation report, so that the other tests still run and the report lists every finding at once.
 */
final class SynthesizedApp {
    static final ObjectMapper JSON = new ObjectMapper();

    final AmiBuilderStack stack;
    final Template template;
    final Map<String, Object> templateJson;
    final Path assemblyDir;
    final RepoLayout layout;

    private SynthesizedApp() {
        try {
            assemblyDir = Files.createTempDirectory("amibuilder-cdk-out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        App app = new App(AppProps.builder()
                .outdir(assemblyDir.toString())
                .context(Map.of("@aws-cdk/core:failSynthOnValidationErrors", false))
                .build());
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        layout = RepoLayout.locate();
        stack = AmiBuilderApp.stack(app, layout);
        CloudAssembly assembly = app.synth();
        template = Template.fromJSON(readJson(Path.of(assembly.getStackByName(stack.getStackName())
                .getTemplateFullPath())));
        templateJson = template.toJSON();
    }

    static SynthesizedApp get() {
        return Holder.INSTANCE;
    }

    String logicalId(software.constructs.IConstruct construct) {
        return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    String buildDefinition() {
        return AslRenderer.render(templateJson, logicalId(stackWorkflow().buildStateMachine()));
    }

    String cleanupDefinition() {
        return AslRenderer.render(templateJson, logicalId(stackWorkflow().cleanupStateMachine()));
    }

    private org.funtoo.amibuilder.statemachine.BuildWorkflow stackWorkflow() {
        return (org.funtoo.amibuilder.statemachine.BuildWorkflow) stack.getNode().findChild("Workflow");
    }

    JsonNode validationReport() {
        try {
            return JSON.readTree(assemblyDir.resolve("validation-report.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(Path file) {
        try {
            return JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Holder {
        static final SynthesizedApp INSTANCE = new SynthesizedApp();
    }
}
