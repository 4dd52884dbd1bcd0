package org.funtoo.amibuilder.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;

/**
 * The workflow construct synthesized once for all test classes (synthesis costs seconds), in a stack of its own
 * with imported functions named after their handlers.
 */
final class SynthesizedWorkflow {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Template template;
    final Asl build;
    final Asl cleanup;

    private SynthesizedWorkflow() {
        App app = new App();
        Stack stack = new Stack(app, "WorkflowTest", StackProps.builder()
                .env(Environment.builder().account(AslRenderer.ACCOUNT).region(AslRenderer.REGION).build())
                .build());
        Map<String, IFunction> functions = new LinkedHashMap<>();
        for (String handler : Handlers.BUILD) {
            functions.put(handler, Function.fromFunctionArn(stack, handler,
                    "arn:aws:lambda:us-east-1:123456789012:function:" + handler));
        }
        BuildWorkflow workflow = new BuildWorkflow(stack, "Workflow", BuildWorkflowProps.of(functions,
                LogGroup.Builder.create(stack, "BuildLogs").build(),
                LogGroup.Builder.create(stack, "CleanupLogs").build()));
        template = Template.fromStack(stack);
        Map<String, Object> json = template.toJSON();
        build = Asl.parse(AslRenderer.render(json, stack.getLogicalId(
                (software.amazon.awscdk.CfnElement) workflow.buildStateMachine().getNode().getDefaultChild())));
        cleanup = Asl.parse(AslRenderer.render(json, stack.getLogicalId(
                (software.amazon.awscdk.CfnElement) workflow.cleanupStateMachine().getNode().getDefaultChild())));
    }

    static SynthesizedWorkflow get() {
        return Holder.INSTANCE;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Holder {
        static final SynthesizedWorkflow INSTANCE = new SynthesizedWorkflow();
    }
}
