package org.funtoo.amibuilder.statemachine;

import java.util.List;
import java.util.Map;

/**
 * Turns a synthesized state machine's {@code DefinitionString} back into plain ASL text, for tools that run or
 * validate the definition outside AWS (asl-validator, aws-local-stepfunctions). CloudFormation references are
 * replaced by stable placeholders in one fictitious account and region: a Lambda function becomes
 * {@code arn:aws:lambda:us-east-1:123456789012:function:<HandlerClass>} (so a local runner can find the class from
 * the ARN), a state machine {@code ...:stateMachine:<logicalId>}, its {@code Name} the logical id.
 */
public final class AslRenderer {
    public static final String PARTITION = "aws";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";

    private final Map<String, Object> resources;

    private AslRenderer(Map<String, Object> resources) {
        this.resources = resources;
    }

    /**
     * @param template              the synthesized template ({@code Template.toJSON()})
     * @param stateMachineLogicalId the {@code AWS::StepFunctions::StateMachine} to render
     */
    public static String render(Map<String, Object> template, String stateMachineLogicalId) {
        Map<String, Object> resources = map(template.get("Resources"), "Resources");
        Map<String, Object> stateMachine = map(resources.get(stateMachineLogicalId), stateMachineLogicalId);
        Object definition = map(stateMachine.get("Properties"), "Properties").get("DefinitionString");
        return new AslRenderer(resources).value(definition);
    }

    private String value(Object node) {
        if (node instanceof String text) {
            return text;
        }
        Map<String, Object> intrinsic = map(node, "DefinitionString part");
        if (intrinsic.containsKey("Fn::Join")) {
            List<?> join = (List<?>) intrinsic.get("Fn::Join");
            StringBuilder joined = new StringBuilder();
            List<?> parts = (List<?>) join.get(1);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    joined.append((String) join.get(0));
                }
                joined.append(value(parts.get(i)));
            }
            return joined.toString();
        }
        if (intrinsic.containsKey("Ref")) {
            return ref((String) intrinsic.get("Ref"));
        }
        if (intrinsic.containsKey("Fn::GetAtt")) {
            List<?> getAtt = (List<?>) intrinsic.get("Fn::GetAtt");
            return attribute((String) getAtt.get(0), (String) getAtt.get(1));
        }
        throw new IllegalArgumentException("cannot render " + node);
    }

    private static String ref(String name) {
        return switch (name) {
            case "AWS::Partition" -> PARTITION;
            case "AWS::Region" -> REGION;
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> name;
        };
    }

    private String attribute(String logicalId, String attribute) {
        Map<String, Object> resource = map(resources.get(logicalId), logicalId);
        String type = (String) resource.get("Type");
        if ("Name".equals(attribute)) {
            return logicalId;
        }
        if (!"Arn".equals(attribute)) {
            throw new IllegalArgumentException("cannot render " + logicalId + "." + attribute);
        }
        return switch (type) {
            case "AWS::Lambda::Function" -> "arn:" + PARTITION + ":lambda:" + REGION + ":" + ACCOUNT + ":function:"
                    + handlerClass(resource, logicalId);
            case "AWS::StepFunctions::StateMachine" -> "arn:" + PARTITION + ":states:" + REGION + ":" + ACCOUNT
                    + ":stateMachine:" + logicalId;
            default -> throw new IllegalArgumentException("cannot render the ARN of a " + type);
        };
    }

    private static String handlerClass(Map<String, Object> function, String logicalId) {
        Object handler = map(function.get("Properties"), logicalId).get("Handler");
        if (handler instanceof String spec && spec.contains("::")) {
            String className = spec.substring(0, spec.indexOf("::"));
            return className.substring(className.lastIndexOf('.') + 1);
        }
        return logicalId;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(what + " is not an object: " + node);
        }
        return (Map<String, Object>) node;
    }
}
