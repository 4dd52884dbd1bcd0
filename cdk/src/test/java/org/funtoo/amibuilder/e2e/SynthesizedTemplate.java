package org.funtoo.amibuilder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.funtoo.amibuilder.sim.SimAws;

/**
 * The parts of a synthesized CloudFormation template the offline execution needs: each state machine's definition
 * rendered to plain ASL (CloudFormation intrinsics resolved to the ARNs the simulated account would have), and each
 * Lambda function's handler class and environment.
 */
final class SynthesizedTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REGION = SimAws.HOME_REGION;
    static final String ACCOUNT = SimAws.ACCOUNT_ID;

    /** A Lambda function of the stack. */
    record Function(String logicalId, String handlerClass, Map<String, String> environment) {
    }

    private final JsonNode resources;

    SynthesizedTemplate(JsonNode template) {
        this.resources = template.path("Resources");
    }

    List<String> logicalIdsOfType(String type) {
        return StreamSupport.stream(((Iterable<Map.Entry<String, JsonNode>>) resources::fields).spliterator(), false)
                .filter(e -> type.equals(e.getValue().path("Type").asText()))
                .map(Map.Entry::getKey)
                .toList();
    }

    JsonNode resource(String logicalId) {
        JsonNode r = resources.get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        return r;
    }

    /** The state machine's definition as Step Functions would receive it. */
    ObjectNode definition(String stateMachineLogicalId) {
        JsonNode props = resource(stateMachineLogicalId).path("Properties");
        String text = props.has("DefinitionString") ? render(props.get("DefinitionString")) : props.path("Definition").toString();
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("definition of " + stateMachineLogicalId + " is not JSON", e);
        }
    }

    Map<String, Function> functions() {
        Map<String, Function> out = new LinkedHashMap<>();
        for (String id : logicalIdsOfType("AWS::Lambda::Function")) {
            JsonNode props = resource(id).path("Properties");
            Map<String, String> env = new LinkedHashMap<>();
            props.path("Environment").path("Variables").fields()
                    .forEachRemaining(e -> env.put(e.getKey(), render(e.getValue())));
            String handler = props.path("Handler").asText("");
            out.put(id, new Function(id, handler.replaceFirst("::.*$", ""), env));
        }
        return out;
    }

    /** ARN the simulated account gives a function (what a Task state's FunctionName renders to). */
    static String functionArn(String logicalId) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + logicalId;
    }

    /** A JSON value with every intrinsic function in it resolved (e.g. a document's Content). */
    JsonNode renderTree(JsonNode value) {
        if (value.isObject() && value.size() == 1 && value.fieldNames().next().matches("Ref|Fn::.*")) {
            return JSON.getNodeFactory().textNode(render(value));
        }
        if (value.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            value.fields().forEachRemaining(e -> out.set(e.getKey(), renderTree(e.getValue())));
            return out;
        }
        if (value.isArray()) {
            var out = JSON.createArrayNode();
            value.forEach(v -> out.add(renderTree(v)));
            return out;
        }
        return value;
    }

    /** Resolves Fn::Join / Fn::GetAtt / Ref / Fn::Sub (without variables map) to plain strings. */
    String render(JsonNode value) {
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        if (value.has("Fn::Join")) {
            JsonNode args = value.get("Fn::Join");
            String sep = args.get(0).asText();
            StringBuilder sb = new StringBuilder();
            Iterator<JsonNode> parts = args.get(1).elements();
            while (parts.hasNext()) {
                sb.append(render(parts.next()));
                if (parts.hasNext()) {
                    sb.append(sep);
                }
            }
            return sb.toString();
        }
        if (value.has("Ref")) {
            return ref(value.get("Ref").asText());
        }
        if (value.has("Fn::GetAtt")) {
            JsonNode args = value.get("Fn::GetAtt");
            return getAtt(args.get(0).asText(), args.get(1).asText());
        }
        if (value.has("Fn::Sub") && value.get("Fn::Sub").isTextual()) {
            String s = value.get("Fn::Sub").asText();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String repl = name.contains(".") ? getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1)) : ref(name);
                m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(repl));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        throw new IllegalArgumentException("cannot render " + value);
    }

    private String ref(String name) {
        return switch (name) {
            case "AWS::Region" -> REGION;
            case "AWS::AccountId" -> ACCOUNT;
            case "AWS::Partition" -> "aws";
            case "AWS::URLSuffix" -> "amazonaws.com";
            case "AWS::StackName" -> "FuntooAmiBuilder";
            // a Ref of a resource is its physical id or name (the logical id in the simulated account), except for
            // the types whose Ref is their ARN
            default -> switch (resources.path(name).path("Type").asText()) {
                case "AWS::StepFunctions::StateMachine" -> getAtt(name, "Arn");
                case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
                default -> name;
            };
        };
    }

    private String getAtt(String logicalId, String attribute) {
        JsonNode r = resources.get(logicalId);
        String type = r == null ? "" : r.path("Type").asText();
        if ("Name".equals(attribute)) {
            return logicalId; // the simulated account names resources by their logical id
        }
        if ("Arn".equals(attribute) && "AWS::StepFunctions::StateMachine".equals(type)) {
            return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + logicalId;
        }
        if ("Arn".equals(attribute) && "AWS::Lambda::Function".equals(type)) {
            return functionArn(logicalId);
        }
        if ("Arn".equals(attribute) && "AWS::IAM::InstanceProfile".equals(type)) {
            return "arn:aws:iam::" + ACCOUNT + ":instance-profile/" + logicalId;
        }
        if ("Arn".equals(attribute) && "AWS::IAM::Role".equals(type)) {
            return "arn:aws:iam::" + ACCOUNT + ":role/" + logicalId;
        }
        return "arn:aws:sim:" + REGION + ":" + ACCOUNT + ":" + logicalId + "/" + attribute;
    }
}
