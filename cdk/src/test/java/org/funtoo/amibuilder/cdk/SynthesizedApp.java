package org.funtoo.amibuilder.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.funtoo.amibuilder.statemachine.AslRenderer;
import org.funtoo.amibuilder.statemachine.BuildWorkflow;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The app synthesized once for every test class (synthesis costs seconds), with cdk.json's context (its feature
 * flags shape the template as {@code cdk synth} renders it) and cdk-nag's AwsSolutions pack registered as a
 * validation plugin. It holds two stacks: the stack as deployed with an empty context, and the same
 * stack with every optional setting given ({@link #CONFIGURED_CONTEXT}). Synthesis does not stop at findings: the
 * nag test reads them from the validation report, so the other tests still run and all findings show at once.
 */
public final class SynthesizedApp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Object> CONFIGURED_CONTEXT = Map.of(
            BuilderConfig.BUILD_SCHEDULE, "cron(0 4 ? * MON *)",
            BuilderConfig.BUILD_SCHEDULE_INPUT, Map.of("distribution", "gentoo", "architecture", "arm64"),
            BuilderConfig.NOTIFICATION_EMAIL, "builds@example.org",
            BuilderConfig.BOOTSTRAP_OUTPUT_BUCKET, "example-bootstrap-output",
            BuilderConfig.BOOTSTRAP_TIMEOUT_MINUTES, 240,
            BuilderConfig.BUILD_TIMEOUT_HOURS, 8,
            BuilderConfig.LOG_RETENTION_DAYS, 30);

    final Path assemblyDir;
    final RepoLayout layout;
    public final Synthesized stack;
    final Synthesized configured;

    /** One synthesized stack: the construct, its template, the ASL of its two state machines. */
    public record Synthesized(AmiBuilderStack construct, Template template, Map<String, Object> json) {
        public String logicalId(IConstruct node) {
            return construct.getLogicalId((CfnElement) node.getNode().getDefaultChild());
        }

        public BuildWorkflow workflow() {
            return (BuildWorkflow) construct.getNode().findChild("Workflow");
        }

        String buildDefinition() {
            return AslRenderer.render(json, logicalId(workflow().buildStateMachine()));
        }

        String cleanupDefinition() {
            return AslRenderer.render(json, logicalId(workflow().cleanupStateMachine()));
        }
    }

    private SynthesizedApp() {
        try {
            assemblyDir = Files.createTempDirectory("amibuilder-cdk-out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(assemblyDir)));
        layout = RepoLayout.locate();
        App app = new App(AppProps.builder()
                .outdir(assemblyDir.toString())
                .context(cdkJsonContext(Map.of("@aws-cdk/core:failSynthOnValidationErrors", false)))
                .build());
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        AmiBuilderStack deployed = AmiBuilderApp.stack(app, layout);
        Construct variant = new Construct(app, "Configured");
        CONFIGURED_CONTEXT.forEach((key, value) -> variant.getNode().setContext(key, value));
        AmiBuilderStack withSettings = new AmiBuilderStack(variant, "FuntooAmiBuilderConfigured",
                StackProps.builder().build(), layout);
        CloudAssembly assembly = app.synth();
        stack = synthesized(assembly, deployed);
        configured = synthesized(assembly, withSettings);
    }

    public static SynthesizedApp get() {
        return Holder.INSTANCE;
    }

    JsonNode validationReport() {
        try {
            return JSON.readTree(assemblyDir.resolve("validation-report.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Synthesized synthesized(CloudAssembly assembly, AmiBuilderStack stack) {
        Map<String, Object> json = readJson(Path.of(assembly.getStackByName(stack.getStackName())
                .getTemplateFullPath()));
        return new Synthesized(stack, Template.fromJSON(json), json);
    }

    /**
     * cdk.json's context, as the CDK CLI gives it to the app: the feature flags that shape the template and the
     * settings' defaults; the tests' own entries added.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext(Map<String, Object> extra) {
        Map<String, Object> context = new LinkedHashMap<>((Map<String, Object>) readJson(
                RepoLayout.locate().root().resolve("cdk.json")).get("context"));
        context.putAll(extra);
        return context;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readJson(Path file) {
        try {
            return new LinkedHashMap<>(JSON.readValue(file.toFile(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static final class Holder {
        static final SynthesizedApp INSTANCE = new SynthesizedApp();
    }
}
