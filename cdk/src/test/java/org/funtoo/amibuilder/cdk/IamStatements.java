package org.funtoo.amibuilder.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The IAM statements of a synthesized template, by role and by Lambda handler. */
final class IamStatements {

    /** One statement; resources as text, CloudFormation references written as {@code ${Name}}. */
    record Statement(String role, List<String> actions, List<String> resources, JsonNode condition) {
        boolean allows(String action) {
            return actions.contains(action);
        }

        String condition(String operator, String key) {
            JsonNode value = condition.path(operator).path(key);
            return value.isMissingNode() ? null : value.isArray() ? value.toString() : value.asText();
        }
    }

    private final JsonNode resources;

    IamStatements(Map<String, Object> template) {
        this.resources = SynthesizedApp.JSON.valueToTree(template).get("Resources");
    }

    List<Statement> all() {
        List<Statement> statements = new ArrayList<>();
        resources.fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            if (resource.get("Type").asText().equals("AWS::IAM::Policy")) {
                for (JsonNode role : resource.at("/Properties/Roles")) {
                    for (JsonNode statement : resource.at("/Properties/PolicyDocument/Statement")) {
                        statements.add(new Statement(role.get("Ref").asText(), list(statement.get("Action")),
                                list(statement.get("Resource")), statement.path("Condition")));
                    }
                }
            }
        });
        return statements;
    }

    /** Handler class simple name → the statements of its function's role. */
    Map<String, List<Statement>> byHandler() {
        Map<String, List<Statement>> byHandler = new LinkedHashMap<>();
        List<Statement> all = all();
        resources.fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            if (resource.get("Type").asText().equals("AWS::Lambda::Function")) {
                String handler = resource.at("/Properties/Handler").asText();
                String simpleName = handler.substring(handler.lastIndexOf('.') + 1, handler.indexOf("::"));
                String role = resource.at("/Properties/Role/Fn::GetAtt/0").asText();
                byHandler.put(simpleName, all.stream().filter(s -> s.role().equals(role)).toList());
            }
        });
        return byHandler;
    }

    /** The AWS actions a handler's role allows, without its logging and tracing. */
    static TreeSet<String> awsActions(List<Statement> statements) {
        TreeSet<String> actions = new TreeSet<>();
        statements.forEach(s -> s.actions().stream()
                .filter(a -> !a.startsWith("logs:") && !a.startsWith("xray:"))
                .forEach(actions::add));
        return actions;
    }

    static String text(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.has("Fn::Join")) {
            StringBuilder joined = new StringBuilder();
            node.get("Fn::Join").get(1).forEach(part -> joined.append(text(part)));
            return joined.toString();
        }
        if (node.has("Fn::Sub")) {
            return node.get("Fn::Sub").asText();
        }
        if (node.has("Ref")) {
            return "${" + node.get("Ref").asText() + "}";
        }
        if (node.has("Fn::GetAtt")) {
            return "${" + node.get("Fn::GetAtt").get(0).asText() + "." + node.get("Fn::GetAtt").get(1).asText() + "}";
        }
        return node.toString();
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(value -> values.add(text(value)));
        } else {
            values.add(text(node));
        }
        return values;
    }
}
