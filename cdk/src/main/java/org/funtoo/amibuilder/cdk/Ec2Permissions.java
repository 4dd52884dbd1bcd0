package org.funtoo.amibuilder.cdk;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The IAM statements of the handlers, in the vocabulary of SECURITY.md: what the builder creates must carry
 * its tags in the request, what it changes or destroys must already carry {@value #MANAGED_TAG} = true. Resource
 * ARNs name the resource type (never {@code *}) in this stack's region and account; only the EC2 and SSM actions
 * without resource-level permissions (Describe*, List*, Get*) are granted on {@code *}.
 */
final class Ec2Permissions {
    static final String MANAGED_TAG = "funtoo-ami-builder:managed";
    static final String BUILD_ID_TAG = "funtoo-ami-builder:build-id";
    private static final String ANY_REGION = "*";

    private final Stack stack;

    Ec2Permissions(Stack stack) {
        this.stack = stack;
    }

    /** Read-only EC2 calls: EC2 has no resource-level permissions for Describe*. */
    PolicyStatement describe(String... actions) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(prefixed("ec2", actions))
                .resources(List.of("*"))
                .build();
    }

    /** Creating: allowed only when the request tags the new resource as this builder's, with a build id. */
    PolicyStatement create(String action, String... types) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:" + action))
                .resources(arns(types))
                .conditions(requestTags(Map.of()))
                .build();
    }

    /**
     * The instance launch: like {@link #create}, and the instance must require IMDSv2 tokens, so no helper can
     * ever be started with the token-less metadata service.
     */
    PolicyStatement launchInstance() {
        Map<String, Object> conditions = requestTags(Map.of("ec2:MetadataHttpTokens", "required"));
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:RunInstances"))
                .resources(arns("instance"))
                .conditions(conditions)
                .build();
    }

    /** Tagging, only as part of the creating call itself ({@code TagSpecifications}), never afterwards. */
    PolicyStatement tagOnCreate(List<String> createActions, String... types) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:CreateTags"))
                .resources(arns(types))
                .conditions(requestTags(Map.of("ec2:CreateAction", createActions)))
                .build();
    }

    /** Changing, detaching or destroying: only what carries {@value #MANAGED_TAG} = true. */
    PolicyStatement onManaged(String action, String... types) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:" + action))
                .resources(arns(types))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceTag/" + MANAGED_TAG, "true")))
                .build();
    }

    /**
     * Resources an action uses without creating or changing them (the subnet and security group an instance is
     * launched with may be the caller's own), unconditioned but limited to their type.
     */
    PolicyStatement using(String action, String... types) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:" + action))
                .resources(arns(types))
                .build();
    }

    /**
     * The image an instance is launched from, only from these owners ({@code ec2:Owner}: {@code amazon} for AWS's
     * own images, else the owner's account id; {@code self} here is this stack's account). See
     * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html (ec2:Owner on the
     * image resource of RunInstances) and the example "launch instances from AMIs owned by Amazon" in
     * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html.
     */
    PolicyStatement launchFromImagesOf(List<String> owners) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:RunInstances"))
                .resources(arns("image"))
                .conditions(Map.of("StringEquals", Map.of("ec2:Owner", accountOwners(owners))))
                .build();
    }

    /** The image an instance is launched from: one this account owns and the builder made (the smoke test). */
    PolicyStatement launchFromManagedImage() {
        Map<String, Object> stringEquals = new LinkedHashMap<>();
        stringEquals.put("ec2:Owner", stack.getAccount());
        stringEquals.put("aws:ResourceTag/" + MANAGED_TAG, "true");
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:RunInstances"))
                .resources(arns("image"))
                .conditions(Map.of("StringEquals", stringEquals))
                .build();
    }

    /** {@code self} as this stack's account id, the way IAM's ec2:Owner and DescribeImages' OwnerId name it. */
    List<String> accountOwners(List<String> owners) {
        return owners.stream().map(o -> o.equals("self") ? stack.getAccount() : o).distinct().toList();
    }

    /**
     * Like {@link #create}, in every region: the image's copies are made in regions the build's input names at run
     * time, so the region cannot be part of the ARN; the tag conditions are what limits these statements.
     */
    PolicyStatement createInAnyRegion(String action, String... types) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:" + action))
                .resources(arnsIn(ANY_REGION, types))
                .conditions(requestTags(Map.of()))
                .build();
    }

    /** Like {@link #tagOnCreate}, in every region (see {@link #createInAnyRegion}). */
    PolicyStatement tagOnCreateInAnyRegion(List<String> createActions, String... types) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:CreateTags"))
                .resources(arnsIn(ANY_REGION, types))
                .conditions(requestTags(Map.of("ec2:CreateAction", createActions)))
                .build();
    }

    /** Like {@link #onManaged}, in every region (see {@link #createInAnyRegion}). */
    PolicyStatement onManagedInAnyRegion(String action, String... types) {
        return PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ec2:" + action))
                .resources(arnsIn(ANY_REGION, types))
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceTag/" + MANAGED_TAG, "true")))
                .build();
    }

    /** EC2 resource ARNs; images and snapshots have no account in their ARN. */
    List<String> arns(String... types) {
        return arnsIn(stack.getRegion(), types);
    }

    private List<String> arnsIn(String region, String... types) {
        return Arrays.stream(types)
                .map(type -> "arn:" + stack.getPartition() + ":ec2:" + region + ":"
                        + (type.equals("image") || type.equals("snapshot") ? "" : stack.getAccount())
                        + ":" + type + "/*")
                .toList();
    }

    private static Map<String, Object> requestTags(Map<String, Object> extraStringEquals) {
        Map<String, Object> stringEquals = new LinkedHashMap<>();
        stringEquals.put("aws:RequestTag/" + MANAGED_TAG, "true");
        stringEquals.putAll(extraStringEquals);
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("StringEquals", stringEquals);
        conditions.put("Null", Map.of("aws:RequestTag/" + BUILD_ID_TAG, "false"));
        return conditions;
    }

    static List<String> prefixed(String service, String... actions) {
        return Arrays.stream(actions).map(action -> service + ":" + action).toList();
    }
}
