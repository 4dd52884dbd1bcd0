package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;

/** The two state machines as CloudFormation resources. */
class StateMachineResourcesTest {
    private final SynthesizedWorkflow workflow = SynthesizedWorkflow.get();

    @Test
    void bothAreStandardWorkflowsWithFullLoggingAndTracing() {
        workflow.template.resourceCountIs("AWS::StepFunctions::StateMachine", 2);
        workflow.template.allResourcesProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineType", "STANDARD",
                "TracingConfiguration", Map.of("Enabled", true),
                "LoggingConfiguration", Match.objectLike(Map.of(
                        "Level", "ALL",
                        "IncludeExecutionData", true,
                        "Destinations", Match.anyValue())))));
    }

    @Test
    void everyExecutionHasAnOverallTimeout() {
        assertEquals(BuildWorkflowProps.DEFAULT_BUILD_TIMEOUT.toSeconds().intValue(),
                workflow.build.root.get("TimeoutSeconds").asInt());
        assertEquals(BuildWorkflowProps.DEFAULT_CLEANUP_TIMEOUT.toSeconds().intValue(),
                workflow.cleanup.root.get("TimeoutSeconds").asInt());
    }

    @Test
    void theCleanupMayOnlyDescribeExecutionsOfTheBuildStateMachine() {
        Capture resource = new Capture();
        workflow.template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", "states:DescribeExecution", "Resource", resource)))))))));
        String buildStateMachine = workflow.template.findResources("AWS::StepFunctions::StateMachine").keySet()
                .stream().filter(id -> id.startsWith("WorkflowBuildStateMachine")).findFirst().orElseThrow();
        assertEquals(Map.of("Fn::Join", List.of("", List.of(
                        "arn:", Map.of("Ref", "AWS::Partition"), ":states:us-east-1:123456789012:execution:",
                        Map.of("Fn::GetAtt", List.of(buildStateMachine, "Name")),
                        ":*"))),
                resource.asObject());
    }
}
