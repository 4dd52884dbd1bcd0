package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.cdk.SynthesizedApp;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * What someone who may only start builds (or invoke a function with an input of their own) must not get, replayed
 * against the synthesized template's IAM: each request here is one such attempt, made as the function or role that
 * would make it, and must be denied. The requests come from the simulated AWS where a call can be made (so their
 * request context is the one the replay of every build sees), and are written by hand for the principals that are
 * not functions (the helper instance, EventBridge).
 */
class LeastPrivilegeReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OTHER_ACCOUNT = "999988887777";

    private final SynthesizedTemplate template =
            new SynthesizedTemplate(JSON.valueToTree(SynthesizedApp.get().stack.json()));
    private final IamPolicies policies = new IamPolicies(template);
    private final SimAws aws = new SimAws();

    // ---- 1. root on an instance holding the helper role; the helper role reading the account's parameters

    @Test
    void theHelperRoleCannotReadTheAccountsParameters() {
        String role = onlyLogicalId("AWS::IAM::Role", "HelperRole");
        for (String action : List.of("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath")) {
            Optional<String> denial = policies.denialOfRole(role, new IamPolicies.Request(action,
                    "arn:aws:ssm:" + SimAws.HOME_REGION + ":" + SimAws.ACCOUNT_ID + ":parameter/prod/db-password",
                    Map.of()));
            assertTrue(denial.isPresent(), action + " must be denied to the helper role");
        }
    }

    @Test
    void theHelperLaunchCannotUseAnImageOfAnotherOwner() {
        String community = aws.ec2().publicImageOf(OTHER_ACCOUNT, "x86_64");
        List<String> denials = launchAs("LaunchHelperInstanceHandler", community);
        assertTrue(denials.stream().anyMatch(d -> d.contains("image/" + community)), denials.toString());
    }

    @Test
    void theSmokeTestLaunchCannotUseAnImageTheBuilderDidNotMake() {
        // Amazon's own image is a fine helper, but the smoke test only ever boots the image its build registered
        List<String> denials = launchAs("LaunchTestInstanceHandler", SimAws.AL2023_X86_64_IMAGE_ID);
        assertTrue(denials.stream().anyMatch(d -> d.contains("image/" + SimAws.AL2023_X86_64_IMAGE_ID)),
                denials.toString());
    }

    // ---- 2. service principals without a source condition (the confused deputy)

    @Test
    void eventBridgeActingForAnotherAccountCannotUseTheNotificationKeyOrTopic() {
        Map<String, List<String>> foreign = Map.of(
                "aws:SourceAccount", List.of(OTHER_ACCOUNT),
                "aws:SourceArn", List.of("arn:aws:events:" + SimAws.HOME_REGION + ":" + OTHER_ACCOUNT + ":rule/theirs"));
        String key = onlyLogicalId("AWS::KMS::Key", "NotificationKey");
        List<IamPolicies.Statement> keyPolicy = policies.grantedToService(
                template.renderTree(template.resource(key).path("Properties").path("KeyPolicy")),
                "events.amazonaws.com");
        assertFalse(keyPolicy.isEmpty(), "the key lets EventBridge encrypt for the notification rule");
        for (String action : List.of("kms:GenerateDataKey", "kms:Decrypt")) {
            assertTrue(IamPolicies.denialBy(keyPolicy, new IamPolicies.Request(action, "*", foreign)).isPresent(),
                    action + " for another account's rule must be denied by the key policy");
        }
        String topicPolicy = onlyLogicalId("AWS::SNS::TopicPolicy", "Notifications");
        List<IamPolicies.Statement> topic = policies.grantedToService(
                template.renderTree(template.resource(topicPolicy).path("Properties").path("PolicyDocument")),
                "events.amazonaws.com");
        assertFalse(topic.isEmpty(), "the topic lets EventBridge publish for the notification rule");
        String topicArn = "arn:aws:sns:" + SimAws.HOME_REGION + ":" + SimAws.ACCOUNT_ID + ":"
                + onlyLogicalId("AWS::SNS::Topic", "Notifications");
        assertTrue(IamPolicies.denialBy(topic, new IamPolicies.Request("sns:Publish", topicArn, foreign)).isPresent(),
                "sns:Publish for another account's rule must be denied by the topic policy");
    }

    // ---- 3. PutParameter overwriting a parameter the builder did not create

    @Test
    void publishingCannotOverwriteAParameterTheBuilderDidNotCreate() {
        String name = "/funtoo-ami-builder/team/release-channel";
        aws.as("someone", () -> aws.ssm().putParameter(r -> r.name(name).value("stable").type(ParameterType.STRING)));
        String function = functionOf("PublishParameterHandler");
        aws.as(function, () -> aws.ssm().putParameter(r -> r.name(name).value(SimAws.AL2023_X86_64_IMAGE_ID)
                .type(ParameterType.STRING).overwrite(true)));
        List<String> denials = new IamCheck(template).check(aws.calls().all());
        assertTrue(denials.stream().anyMatch(d -> d.contains("ssm:PutParameter") && d.contains(name)),
                denials.toString());
    }

    /** Launches {@code imageId} as the function of {@code handlerClass} would, and replays the call. */
    private List<String> launchAs(String handlerClass, String imageId) {
        String vpc = aws.ec2().createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = aws.ec2().createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24")
                .availabilityZone(SimAws.HOME_REGION + "a")).subnet().subnetId();
        String group = aws.ec2().createSecurityGroup(r -> r.vpcId(vpc).groupName("g").description("g")).groupId();
        aws.calls().clear();
        String function = functionOf(handlerClass);
        List<Tag> tags = List.of(Tag.builder().key(SimAws.BUILD_ID_TAG).value("b1").build(),
                Tag.builder().key(SimAws.MANAGED_TAG).value("true").build());
        aws.as(function, () -> aws.ec2().runInstances(r -> r.imageId(imageId).instanceType("t3.micro")
                .minCount(1).maxCount(1).subnetId(subnet).securityGroupIds(group)
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE).tags(tags).build())));
        List<String> denials = new IamCheck(template).check(aws.calls().all());
        assertEquals(1, aws.calls().count("ec2", "RunInstances"));
        return denials;
    }

    private String functionOf(String handlerClass) {
        return template.functions().values().stream()
                .filter(f -> f.handlerClass().endsWith("." + handlerClass))
                .map(SynthesizedTemplate.Function::logicalId)
                .findFirst().orElseThrow(() -> new AssertionError("no function runs " + handlerClass));
    }

    private String onlyLogicalId(String type, String prefix) {
        List<String> ids = template.logicalIdsOfType(type).stream().filter(id -> id.startsWith(prefix)).toList();
        assertEquals(1, ids.size(), type + " " + prefix + "*: " + ids);
        return ids.get(0);
    }
}
