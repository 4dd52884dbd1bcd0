package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every grant to an AWS service principal in the template names whose behalf the service acts on
 * ({@code aws:SourceArn} / {@code aws:SourceAccount}), so no other account's rule, state machine or topic can make
 * the service use this stack's key, topic, function or roles: the confused-deputy pattern of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html. A new unconditioned grant fails here.
 */
class ServicePrincipalGrantsTest {
    private static final Set<String> SOURCE_KEYS = Set.of("aws:sourcearn", "aws:sourceaccount");
    /**
     * Trust policies that take no source condition: Lambda and EC2 assume a role only for the function or the
     * instance profile of this account that names it (creating either needs iam:PassRole in this account); they
     * set no aws:SourceArn / aws:SourceAccount for the role session, so a condition would only break them.
     */
    private static final Set<String> TRUST_WITHOUT_SOURCE = Set.of("lambda.amazonaws.com", "ec2.amazonaws.com");

    @Test
    void everyServicePrincipalGrantCarriesASourceCondition() {
        for (SynthesizedApp.Synthesized stack : List.of(SynthesizedApp.get().stack, SynthesizedApp.get().configured)) {
            List<String> unconditioned = unconditionedGrants(SynthesizedApp.JSON.valueToTree(stack.json()));
            assertEquals(List.of(), unconditioned, "service-principal grants without aws:SourceArn/SourceAccount");
        }
    }

    @Test
    void theCheckFindsAnUnconditionedGrant() throws Exception {
        JsonNode template = SynthesizedApp.JSON.readTree("""
                {"Resources": {
                  "Key": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                     "Action": "kms:Decrypt", "Resource": "*"}]}}},
                  "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {
                    "Principal": "events.amazonaws.com", "Action": "lambda:InvokeFunction", "FunctionName": "f"}},
                  "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole",
                     "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]}}}}}""");
        assertEquals(List.of("Key: events.amazonaws.com", "Perm: events.amazonaws.com"), unconditionedGrants(template));
    }

    @Test
    void eventBridgeMayPublishOnlyForTheNotificationRuleAndUseTheKeyOnlyForThisAccountsRules() {
        JsonNode resources = SynthesizedApp.JSON.valueToTree(SynthesizedApp.get().stack.json()).get("Resources");
        List<JsonNode> grants = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            JsonNode policy = e.getValue().at("/Properties/KeyPolicy").isMissingNode()
                    ? e.getValue().at("/Properties/PolicyDocument") : e.getValue().at("/Properties/KeyPolicy");
            if (!e.getValue().path("Type").asText().matches("AWS::KMS::Key|AWS::SNS::TopicPolicy")) {
                return;
            }
            policy.path("Statement").forEach(s -> {
                if (s.at("/Principal/Service").toString().contains("events.amazonaws.com")) {
                    grants.add(s);
                }
            });
        });
        assertFalse(grants.isEmpty());
        grants.forEach(s -> {
            String condition = s.path("Condition").toString();
            if (s.toString().contains("sns:Publish")) {
                assertTrue(s.at("/Condition/ArnEquals/aws:SourceArn/Fn::GetAtt/0").asText()
                        .startsWith("NotificationRule"), s.toString());
            } else {
                // the key cannot name the rule (rule -> topic -> key -> rule would be a cycle): this account's rules
                assertEquals("{\"Ref\":\"AWS::AccountId\"}", s.at("/Condition/StringEquals/aws:SourceAccount")
                        .toString(), s.toString());
                assertTrue(condition.contains(":rule/*") && condition.contains("AWS::AccountId"), s.toString());
            }
        });
    }

    /** "logicalId: service" for each Allow to a service principal without a source condition. */
    static List<String> unconditionedGrants(JsonNode template) {
        List<String> out = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(entry -> {
            String id = entry.getKey();
            JsonNode resource = entry.getValue();
            JsonNode props = resource.path("Properties");
            switch (resource.path("Type").asText()) {
                case "AWS::Lambda::Permission" -> {
                    String principal = props.path("Principal").asText();
                    if (principal.endsWith(".amazonaws.com") && !props.has("SourceArn")
                            && !props.has("SourceAccount")) {
                        out.add(id + ": " + principal);
                    }
                }
                case "AWS::IAM::Role" -> statements(props.path("AssumeRolePolicyDocument")).forEach(s ->
                        services(s).stream().filter(svc -> !TRUST_WITHOUT_SOURCE.contains(svc))
                                .filter(svc -> !hasSourceCondition(s)).forEach(svc -> out.add(id + ": " + svc)));
                default -> {
                    for (String field : List.of("KeyPolicy", "PolicyDocument")) {
                        if (resource.path("Type").asText().equals("AWS::IAM::Policy")) {
                            continue; // identity policies name no principal
                        }
                        statements(props.path(field)).forEach(s -> services(s).stream()
                                .filter(svc -> !hasSourceCondition(s)).forEach(svc -> out.add(id + ": " + svc)));
                    }
                }
            }
        });
        return out;
    }

    private static List<JsonNode> statements(JsonNode document) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode list = document.path("Statement");
        (list.isArray() ? list : List.of(list)).forEach(s -> {
            if ("Allow".equals(s.path("Effect").asText())) {
                out.add(s);
            }
        });
        return out;
    }

    private static List<String> services(JsonNode statement) {
        JsonNode service = statement.at("/Principal/Service");
        List<String> out = new ArrayList<>();
        if (service.isArray()) {
            service.forEach(s -> out.add(s.asText()));
        } else if (!service.isMissingNode()) {
            out.add(service.isTextual() ? service.asText() : service.toString());
        }
        return out;
    }

    private static boolean hasSourceCondition(JsonNode statement) {
        List<String> keys = new ArrayList<>();
        statement.path("Condition").fields().forEachRemaining(op ->
                op.getValue().fieldNames().forEachRemaining(k -> keys.add(k.toLowerCase(java.util.Locale.ROOT))));
        return keys.stream().anyMatch(SOURCE_KEYS::contains);
    }
}
