package org.funtoo.amibuilder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The identity policies of each function's role in the synthesized template, and an evaluator of the IAM rules
 * that matter for them: Allow/Deny, Action and Resource with wildcards, and the condition operators the stack uses
 * (StringEquals, StringLike, StringNotEquals, ArnLike, ArnEquals, Null, Bool, ForAllValues:/ForAnyValue:) over the
 * request context a call carries ({@code aws:ResourceTag/*}, {@code aws:RequestTag/*}, {@code aws:TagKeys},
 * {@code ec2:CreateAction}, {@code iam:PassedToService}, ...). An explicit Deny wins; no Allow means denied.
 */
final class IamPolicies {

    record Statement(boolean allow, List<String> actions, List<String> notActions, List<String> resources,
                     JsonNode condition) {
    }

    /** What IAM evaluates for one action on one resource. */
    record Request(String action, String resourceArn, Map<String, List<String>> context) {
    }

    private final SynthesizedTemplate template;
    private final Map<String, List<Statement>> byRole = new LinkedHashMap<>();

    IamPolicies(SynthesizedTemplate template) {
        this.template = template;
        for (String policyId : template.logicalIdsOfType("AWS::IAM::Policy")) {
            JsonNode props = template.resource(policyId).path("Properties");
            List<Statement> statements = statements(props.path("PolicyDocument"));
            for (JsonNode role : props.path("Roles")) {
                byRole.computeIfAbsent(role.path("Ref").asText(), k -> new ArrayList<>()).addAll(statements);
            }
        }
        for (String roleId : template.logicalIdsOfType("AWS::IAM::Role")) {
            for (JsonNode inline : template.resource(roleId).path("Properties").path("Policies")) {
                byRole.computeIfAbsent(roleId, k -> new ArrayList<>()).addAll(statements(inline.path("PolicyDocument")));
            }
            for (JsonNode managed : template.resource(roleId).path("Properties").path("ManagedPolicyArns")) {
                byRole.computeIfAbsent(roleId, k -> new ArrayList<>()).addAll(statements(awsManaged(template.render(managed))));
            }
        }
    }

    /**
     * An AWS managed policy's document, as AWS publishes it (test resources {@code iam/<name>.json}). A role with a
     * managed policy the check does not know fails the check: what it cannot read it must not call allowed.
     */
    private static JsonNode awsManaged(String arn) {
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        try (var in = IamPolicies.class.getResourceAsStream("/iam/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("the IAM check does not know the managed policy " + arn
                        + ": add its published document as cdk/src/test/resources/iam/" + name + ".json");
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The statements of a resource-based policy (a key policy, a topic policy) that grant to the service principal
     * {@code service}, e.g. {@code events.amazonaws.com}.
     */
    List<Statement> grantedToService(JsonNode policyDocument, String service) {
        List<Statement> out = new ArrayList<>();
        JsonNode list = policyDocument.path("Statement");
        for (JsonNode s : list.isArray() ? list : List.of(list)) {
            JsonNode principal = s.path("Principal").path("Service");
            List<String> services = strings(principal.isMissingNode() ? null : principal);
            if (services.contains(service)) {
                out.add(statements(documentOf(s)).get(0));
            }
        }
        return out;
    }

    private static JsonNode documentOf(JsonNode statement) {
        var document = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        document.putArray("Statement").add(statement);
        return document;
    }

    /** Empty when {@code statements} allow the request; otherwise why not (an explicit Deny wins). */
    static Optional<String> denialBy(List<Statement> statements, Request request) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (!matchesAction(s, request.action()) || !matchesResource(s, request.resourceArn())
                    || !conditionsHold(s.condition(), request.context())) {
                continue;
            }
            if (!s.allow()) {
                return Optional.of("explicitly denied: " + request);
            }
            allowed = true;
        }
        return allowed ? Optional.empty() : Optional.of("no statement allows " + request);
    }

    /** Empty when the role's identity policies (inline, attached, AWS managed) allow the request. */
    Optional<String> denialOfRole(String roleLogicalId, Request request) {
        return denialBy(byRole.getOrDefault(roleLogicalId, List.of()), request);
    }

    private List<Statement> statements(JsonNode document) {
        List<Statement> out = new ArrayList<>();
        JsonNode list = document.path("Statement");
        for (JsonNode s : list.isArray() ? list : List.of(list)) {
            out.add(new Statement("Allow".equals(s.path("Effect").asText()), strings(s.get("Action")),
                    strings(s.get("NotAction")), s.has("Resource") ? strings(s.get("Resource")) : List.of("*"),
                    // intrinsics in condition values (the account id of ec2:Owner, ...) as the account sees them
                    s.has("Condition") ? template.renderTree(s.get("Condition")) : null));
        }
        return out;
    }

    private List<String> strings(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<String> out = new ArrayList<>();
            node.forEach(n -> out.add(template.render(n)));
            return out;
        }
        return List.of(template.render(node));
    }

    /** The role logical id of a function. */
    String roleOf(String functionLogicalId) {
        JsonNode role = template.resource(functionLogicalId).path("Properties").path("Role");
        if (role.has("Fn::GetAtt")) {
            return role.get("Fn::GetAtt").get(0).asText();
        }
        throw new IllegalStateException("cannot tell the role of " + functionLogicalId + ": " + role);
    }

    List<Statement> statementsOf(String functionLogicalId) {
        return byRole.getOrDefault(roleOf(functionLogicalId), List.of());
    }

    /** Every action an Allow statement of the function's role names (wildcards as written). */
    Set<String> allowedActions(String functionLogicalId) {
        Set<String> out = new LinkedHashSet<>();
        statementsOf(functionLogicalId).stream().filter(Statement::allow).forEach(s -> out.addAll(s.actions()));
        return out;
    }

    /** Empty when allowed; otherwise why not. */
    Optional<String> denialOf(String functionLogicalId, Request request) {
        return denialBy(statementsOf(functionLogicalId), request);
    }

    private static boolean matchesAction(Statement s, String action) {
        if (!s.notActions().isEmpty()) {
            return s.notActions().stream().noneMatch(a -> glob(a, action, true));
        }
        return s.actions().stream().anyMatch(a -> glob(a, action, true));
    }

    private static boolean matchesResource(Statement s, String arn) {
        return s.resources().stream().anyMatch(r -> glob(r, arn, false));
    }

    static boolean glob(String pattern, String value, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    private static boolean conditionsHold(JsonNode condition, Map<String, List<String>> context) {
        if (condition == null || condition.isNull()) {
            return true;
        }
        var operators = condition.fields();
        while (operators.hasNext()) {
            var op = operators.next();
            var keys = op.getValue().fields();
            while (keys.hasNext()) {
                var key = keys.next();
                List<String> expected = new ArrayList<>();
                (key.getValue().isArray() ? key.getValue() : List.of(key.getValue())).forEach(v -> expected.add(v.asText()));
                List<String> actual = lookup(context, key.getKey());
                if (!holds(op.getKey(), actual, expected)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> lookup(Map<String, List<String>> context, String key) {
        for (var e : context.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static boolean holds(String operator, List<String> actual, List<String> expected) {
        boolean ifExists = operator.endsWith("IfExists");
        String op = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        if (op.equals("Null")) {
            boolean wantNull = Boolean.parseBoolean(expected.get(0));
            return wantNull == (actual == null || actual.isEmpty());
        }
        if (actual == null) {
            // a missing key fails every operator but the negated ones; IfExists makes it pass
            return ifExists || op.startsWith("StringNot") || op.startsWith("ArnNot") || op.startsWith("ForAllValues:");
        }
        if (op.startsWith("ForAllValues:")) {
            String inner = op.substring("ForAllValues:".length());
            return actual.stream().allMatch(a -> single(inner, a, expected));
        }
        if (op.startsWith("ForAnyValue:")) {
            String inner = op.substring("ForAnyValue:".length());
            return actual.stream().anyMatch(a -> single(inner, a, expected));
        }
        return actual.stream().anyMatch(a -> single(op, a, expected));
    }

    private static boolean single(String op, String actual, List<String> expected) {
        return switch (op) {
            case "StringEquals", "ArnEquals" -> expected.contains(actual);
            case "StringEqualsIgnoreCase" -> expected.stream().anyMatch(actual::equalsIgnoreCase);
            case "StringNotEquals", "ArnNotEquals" -> !expected.contains(actual);
            case "StringLike", "ArnLike" -> expected.stream().anyMatch(p -> glob(p, actual, false));
            case "StringNotLike", "ArnNotLike" -> expected.stream().noneMatch(p -> glob(p, actual, false));
            case "Bool" -> expected.contains(actual);
            default -> throw new IllegalStateException("condition operator not modelled by the check: " + op);
        };
    }
}
