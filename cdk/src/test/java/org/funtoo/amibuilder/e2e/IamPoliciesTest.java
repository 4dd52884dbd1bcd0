package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policy evaluator the IAM check relies on: it must deny what IAM denies, or the check proves nothing. */
class IamPoliciesTest {
    private static final String FN = "Fn";

    private static IamPolicies policies(String statementsJson) throws Exception {
        String template = """
                {"Resources": {
                  "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "x.Y::handleRequest",
                         "Role": {"Fn::GetAtt": ["FnRole", "Arn"]}}},
                  "FnRole": {"Type": "AWS::IAM::Role", "Properties": {}},
                  "FnPolicy": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": [{"Ref": "FnRole"}],
                     "PolicyDocument": {"Statement": %s}}}}}""".formatted(statementsJson);
        return new IamPolicies(new SynthesizedTemplate(new ObjectMapper().readTree(template)));
    }

    private static IamPolicies.Request req(String action, String arn, Map<String, List<String>> ctx) {
        return new IamPolicies.Request(action, arn, ctx);
    }

    private static final String VPC = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1";
    private static final Map<String, List<String>> MANAGED = Map.of("aws:ResourceTag/funtoo-ami-builder:managed", List.of("true"));

    @Test
    void destructiveActionNeedsTheManagedTagOnTheResource() throws Exception {
        IamPolicies p = policies("""
                [{"Effect": "Allow", "Action": "ec2:DeleteVpc", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:ResourceTag/funtoo-ami-builder:managed": "true"}}}]""");
        assertTrue(p.denialOf(FN, req("ec2:DeleteVpc", VPC, MANAGED)).isEmpty());
        assertFalse(p.denialOf(FN, req("ec2:DeleteVpc", VPC, Map.of())).isEmpty(), "untagged VPC must be denied");
        assertFalse(p.denialOf(FN, req("ec2:DeleteVpc", VPC,
                Map.of("aws:ResourceTag/funtoo-ami-builder:managed", List.of("false")))).isEmpty());
        assertFalse(p.denialOf(FN, req("ec2:DeleteSubnet", VPC, MANAGED)).isEmpty(), "other action must be denied");
    }

    @Test
    void actionWildcardsAndResourcePatternsMatchLikeIam() throws Exception {
        IamPolicies p = policies("""
                [{"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
                 {"Effect": "Allow", "Action": "ssm:SendCommand",
                  "Resource": "arn:aws:ssm:us-east-1:123456789012:document/Bootstrap*"}]""");
        assertTrue(p.denialOf(FN, req("ec2:DescribeVpcs", "*", Map.of())).isEmpty());
        assertTrue(p.denialOf(FN, req("ssm:SendCommand", "arn:aws:ssm:us-east-1:123456789012:document/BootstrapDoc", Map.of())).isEmpty());
        assertFalse(p.denialOf(FN, req("ssm:SendCommand", "arn:aws:ssm:us-east-1:123456789012:document/AWS-RunShellScript", Map.of())).isEmpty());
    }

    @Test
    void explicitDenyWinsOverAllow() throws Exception {
        IamPolicies p = policies("""
                [{"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*"},
                 {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*",
                  "Condition": {"StringNotEquals": {"aws:ResourceTag/funtoo-ami-builder:managed": "true"}}}]""");
        assertTrue(p.denialOf(FN, req("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", MANAGED)).isEmpty());
        assertFalse(p.denialOf(FN, req("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:123456789012:instance/i-1", Map.of())).isEmpty());
    }

    @Test
    void creationNeedsRequestTagsAndCreateTagsOnlyWithTheCreateAction() throws Exception {
        IamPolicies p = policies("""
                [{"Effect": "Allow", "Action": "ec2:CreateVpc", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:RequestTag/funtoo-ami-builder:managed": "true"},
                                "Null": {"aws:RequestTag/funtoo-ami-builder:build-id": "false"}}},
                 {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
                  "Condition": {"StringEquals": {"ec2:CreateAction": ["CreateVpc", "RunInstances"]}}}]""");
        Map<String, List<String>> tagged = Map.of("aws:RequestTag/funtoo-ami-builder:managed", List.of("true"),
                "aws:RequestTag/funtoo-ami-builder:build-id", List.of("b1"));
        assertTrue(p.denialOf(FN, req("ec2:CreateVpc", VPC, tagged)).isEmpty());
        assertFalse(p.denialOf(FN, req("ec2:CreateVpc", VPC,
                Map.of("aws:RequestTag/funtoo-ami-builder:managed", List.of("true")))).isEmpty(), "build-id tag required");
        assertTrue(p.denialOf(FN, req("ec2:CreateTags", VPC, Map.of("ec2:CreateAction", List.of("CreateVpc")))).isEmpty());
        assertFalse(p.denialOf(FN, req("ec2:CreateTags", VPC, Map.of())).isEmpty(), "tagging after creation must be denied");
    }
}
