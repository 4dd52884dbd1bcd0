package org.funtoo.amibuilder.cdk;

import static org.funtoo.amibuilder.statemachine.Handlers.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.statemachine.Handlers;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Every workflow handler with its size and exactly the AWS actions it calls (lambdas/README.md describes the handlers):
 * one function per row, one role per function. Reading down the table shows the pairs of ARCHITECTURE.md's teardown: each
 * creating handler needs the builder's tags in its request, each cleanup handler can only touch what carries them.
 */
final class HandlerCatalog {

    /** Memory and timeout by what a handler does. Java cold starts dominate the small ones. */
    enum Sizing {
        /** No AWS call: validation and summary. */
        LOCAL(256, Duration.seconds(20)),
        /** One or a few Describe/Get calls. */
        LOOKUP(512, Duration.seconds(30)),
        /** A lookup, a create or delete call and its follow-up; cleanup may page through tagged resources. */
        CHANGE(512, Duration.seconds(60)),
        /** Searches every enabled region (the janitor's cleanup of image copies): some 33 cross-region calls. */
        ALL_REGIONS(512, Duration.minutes(3)),
        /** Pages through recent executions and their tagged resources. */
        SWEEP(512, Duration.minutes(5));

        final int memoryMb;
        final Duration timeout;

        Sizing(int memoryMb, Duration timeout) {
            this.memoryMb = memoryMb;
            this.timeout = timeout;
        }
    }

    record HandlerSpec(String handler, Sizing sizing, List<PolicyStatement> statements) {
    }

    private HandlerCatalog() {
    }

    /** Where the builder may write SSM parameters, the same prefix the lambdas' input validation requires. */
    static final String PARAMETER_PREFIX = "funtoo-ami-builder/";

    /**
     * @param topicArn    the notification topic the NotifySuccess / NotifyFailure handlers publish to
     * @param topicKeyArn the topic's KMS key: publishing to an encrypted topic encrypts with it
     */
    static List<HandlerSpec> workflowHandlers(Stack stack, IRole helperRole, List<String> helperImageOwners,
                                              String bootstrapDocumentArn, String topicArn, String topicKeyArn) {
        List<HandlerSpec> all = new ArrayList<>(imageHandlers(stack, helperRole, helperImageOwners,
                bootstrapDocumentArn));
        all.addAll(trustHandlers(stack, topicArn, topicKeyArn));
        return List.copyOf(all);
    }

    private static List<HandlerSpec> imageHandlers(Stack stack, IRole helperRole, List<String> helperImageOwners,
                                                   String bootstrapDocumentArn) {
        Ec2Permissions ec2 = new Ec2Permissions(stack);
        return List.of(
                spec(VALIDATE_INPUT, Sizing.LOCAL),
                spec(RESOLVE_HELPER_IMAGE, Sizing.LOOKUP,
                        statement(List.of("ssm:GetParameter"), List.of("arn:" + stack.getPartition() + ":ssm:"
                                + stack.getRegion() + "::parameter/aws/service/ami-amazon-linux-latest/*")),
                        ec2.describe("DescribeImages")),
                spec(CHECK_IMAGE_NAME, Sizing.LOOKUP, ec2.describe("DescribeImages")),
                spec(SELECT_AVAILABILITY_ZONE, Sizing.LOOKUP, ec2.describe("DescribeAvailabilityZones",
                        "DescribeInstanceTypeOfferings", "DescribeInstanceTypes")),
                spec(CHECK_EXISTING_NETWORK, Sizing.LOOKUP, ec2.describe("DescribeSubnets", "DescribeSecurityGroups",
                        "DescribeRouteTables", "DescribeInstanceTypeOfferings", "DescribeInstanceTypes")),

                spec(CREATE_VPC, Sizing.CHANGE,
                        ec2.describe("DescribeVpcs"),
                        ec2.create("CreateVpc", "vpc"),
                        ec2.onManaged("ModifyVpcAttribute", "vpc"),
                        ec2.tagOnCreate(List.of("CreateVpc"), "vpc")),
                // DescribeVpcs (and below DescribeSubnets, DescribeInternetGateways): the handlers check that the
                // network resources in their input are this build's before they build on them
                spec(CREATE_SUBNET, Sizing.CHANGE,
                        ec2.describe("DescribeSubnets", "DescribeVpcs"),
                        ec2.create("CreateSubnet", "subnet"),
                        ec2.onManaged("CreateSubnet", "vpc"),
                        ec2.onManaged("ModifySubnetAttribute", "subnet"),
                        ec2.tagOnCreate(List.of("CreateSubnet"), "subnet")),
                spec(CREATE_INTERNET_GATEWAY, Sizing.CHANGE,
                        ec2.describe("DescribeInternetGateways", "DescribeVpcs"),
                        ec2.create("CreateInternetGateway", "internet-gateway"),
                        ec2.onManaged("AttachInternetGateway", "internet-gateway", "vpc"),
                        ec2.tagOnCreate(List.of("CreateInternetGateway"), "internet-gateway")),
                spec(CREATE_ROUTE_TABLE, Sizing.CHANGE,
                        ec2.describe("DescribeRouteTables", "DescribeVpcs", "DescribeSubnets",
                                "DescribeInternetGateways"),
                        ec2.create("CreateRouteTable", "route-table"),
                        ec2.onManaged("CreateRouteTable", "vpc"),
                        // the route's target is authorized too: the builder's own gateway only
                        ec2.onManaged("CreateRoute", "route-table", "internet-gateway"),
                        ec2.onManaged("AssociateRouteTable", "route-table", "subnet"),
                        ec2.tagOnCreate(List.of("CreateRouteTable"), "route-table")),
                // no Authorize/Revoke action anywhere: the group keeps no ingress rule
                spec(CREATE_SECURITY_GROUP, Sizing.CHANGE,
                        ec2.describe("DescribeSecurityGroups", "DescribeVpcs"),
                        ec2.create("CreateSecurityGroup", "security-group"),
                        ec2.onManaged("CreateSecurityGroup", "vpc"),
                        ec2.tagOnCreate(List.of("CreateSecurityGroup"), "security-group")),
                // DescribeImages: the handler checks the image's owner before it launches (a clear error)
                spec(LAUNCH_HELPER_INSTANCE, Sizing.CHANGE,
                        ec2.describe("DescribeInstances", "DescribeImages"),
                        ec2.launchInstance(),
                        // the interface is created with the instance (tagged like it), never an existing one
                        ec2.create("RunInstances", "volume", "network-interface"),
                        ec2.using("RunInstances", "subnet", "security-group"),
                        ec2.launchFromImagesOf(helperImageOwners),
                        // helper.spot: a one-time spot request is created with the instance
                        ec2.create("RunInstances", "spot-instances-request"),
                        ec2.tagOnCreate(List.of("RunInstances"), "instance", "volume", "network-interface",
                                "spot-instances-request"),
                        PolicyStatement.Builder.create()
                                .effect(Effect.ALLOW)
                                .actions(List.of("iam:PassRole"))
                                .resources(List.of(helperRole.getRoleArn()))
                                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")))
                                .build()),
                spec(CHECK_HELPER_INSTANCE_RUNNING, Sizing.LOOKUP, ec2.describe("DescribeInstances")),
                spec(CHECK_SSM_AGENT, Sizing.LOOKUP, statement(List.of("ssm:DescribeInstanceInformation"),
                        List.of("*"))),
                // ListCommands and GetCommandInvocation have no resource types in the Service Authorization
                // Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html):
                // IAM cannot narrow them to this stack's document or instances, so these roles could read any
                // command's parameters and output in the region. The handlers narrow what they ask for instead:
                // ListCommands only for an instance they checked to be this build's helper (DescribeInstances),
                // GetCommandInvocation only on that instance, and its output is used only when the command ran the
                // stack's bootstrap document.
                spec(SEND_BOOTSTRAP_COMMAND, Sizing.CHANGE,
                        ec2.describe("DescribeInstances"),
                        statement(List.of("ssm:ListCommands"), List.of("*")),
                        statement(List.of("ssm:SendCommand"), List.of(bootstrapDocumentArn)),
                        PolicyStatement.Builder.create()
                                .effect(Effect.ALLOW)
                                .actions(List.of("ssm:SendCommand"))
                                .resources(ec2.arns("instance"))
                                .conditions(Map.of("StringEquals",
                                        Map.of("ssm:resourceTag/" + Ec2Permissions.MANAGED_TAG, "true")))
                                .build()),
                spec(GET_BOOTSTRAP_COMMAND, Sizing.LOOKUP, ec2.describe("DescribeInstances"),
                        statement(List.of("ssm:GetCommandInvocation"), List.of("*"))),
                // DescribeVolumes / DescribeSnapshots: the handler checks the volume (snapshot) is this build's
                spec(CREATE_SNAPSHOT, Sizing.CHANGE,
                        ec2.describe("DescribeSnapshots", "DescribeVolumes"),
                        ec2.create("CreateSnapshot", "snapshot"),
                        ec2.onManaged("CreateSnapshot", "volume"),
                        ec2.tagOnCreate(List.of("CreateSnapshot"), "snapshot")),
                spec(CHECK_SNAPSHOT_COMPLETED, Sizing.LOOKUP, ec2.describe("DescribeSnapshots")),
                spec(REGISTER_IMAGE, Sizing.CHANGE,
                        ec2.describe("DescribeImages", "DescribeSnapshots"),
                        ec2.create("RegisterImage", "image"),
                        ec2.onManaged("RegisterImage", "snapshot"),
                        ec2.tagOnCreate(List.of("RegisterImage"), "image", "snapshot")),
                spec(CHECK_IMAGE_AVAILABLE, Sizing.LOOKUP, ec2.describe("DescribeImages")),

                spec(TERMINATE_INSTANCES, Sizing.CHANGE,
                        ec2.describe("DescribeInstances"),
                        ec2.onManaged("TerminateInstances", "instance")),
                spec(CHECK_INSTANCES_TERMINATED, Sizing.LOOKUP, ec2.describe("DescribeInstances")),
                spec(DELETE_VOLUMES, Sizing.CHANGE,
                        ec2.describe("DescribeVolumes"),
                        ec2.onManaged("DeleteVolume", "volume")),
                spec(DELETE_SECURITY_GROUP, Sizing.CHANGE,
                        ec2.describe("DescribeSecurityGroups"),
                        ec2.onManaged("DeleteSecurityGroup", "security-group")),
                spec(DELETE_INTERNET_GATEWAY, Sizing.CHANGE,
                        ec2.describe("DescribeInternetGateways"),
                        ec2.onManaged("DetachInternetGateway", "internet-gateway", "vpc"),
                        ec2.onManaged("DeleteInternetGateway", "internet-gateway")),
                spec(DELETE_SUBNET, Sizing.CHANGE,
                        ec2.describe("DescribeSubnets"),
                        ec2.onManaged("DeleteSubnet", "subnet")),
                spec(DELETE_ROUTE_TABLE, Sizing.CHANGE,
                        ec2.describe("DescribeRouteTables"),
                        ec2.onManaged("DisassociateRouteTable", "route-table", "subnet"),
                        ec2.onManaged("DeleteRouteTable", "route-table")),
                spec(DELETE_VPC, Sizing.CHANGE,
                        ec2.describe("DescribeVpcs"),
                        ec2.onManaged("DeleteVpc", "vpc")),
                spec(DELETE_FAILED_IMAGE, Sizing.CHANGE,
                        ec2.describe("DescribeImages", "DescribeSnapshots"),
                        ec2.onManaged("DeregisterImage", "image"),
                        ec2.onManaged("DeleteSnapshot", "snapshot")),
                spec(SUMMARIZE_BUILD, Sizing.LOCAL));
    }

    /**
     * Smoke test, publishing and notification. The test instance is launched like the helper (IMDSv2
     * required, tags in the request) but with no role to pass; its console is read only on managed instances.
     * Images and snapshots are changed in any region (the copies' regions come from the input) but only when they
     * carry the managed tag, and made there only with the builder's tags in the request.
     */
    private static List<HandlerSpec> trustHandlers(Stack stack, String topicArn, String topicKeyArn) {
        Ec2Permissions ec2 = new Ec2Permissions(stack);
        List<String> builderParameters = List.of("arn:" + stack.getPartition() + ":ssm:*:" + stack.getAccount()
                + ":parameter/" + PARAMETER_PREFIX + "*");
        // Creating (ssm:Overwrite false: an existing parameter fails with ParameterAlreadyExists, unchanged) only
        // with the builder's tags in the request; overwriting (ssm:Overwrite true) only a parameter that carries
        // the managed tag, i.e. one a build created. ssm:Overwrite:
        // https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policy-conditions.html
        PolicyStatement createParameter = PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ssm:PutParameter", "ssm:AddTagsToResource"))
                .resources(builderParameters)
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:RequestTag/" + Ec2Permissions.MANAGED_TAG, "true"),
                        "Null", Map.of("aws:RequestTag/" + Ec2Permissions.BUILD_ID_TAG, "false"),
                        "StringEqualsIfExists", Map.of("ssm:Overwrite", "false")))
                .build();
        PolicyStatement overwriteParameter = PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("ssm:PutParameter"))
                .resources(builderParameters)
                .conditions(Map.of("StringEquals", Map.of(
                        "ssm:Overwrite", "true",
                        "aws:ResourceTag/" + Ec2Permissions.MANAGED_TAG, "true")))
                .build();
        return List.of(
                // only the image this build made: the handler checks its build tag, IAM its owner and managed tag
                spec(LAUNCH_TEST_INSTANCE, Sizing.CHANGE,
                        ec2.describe("DescribeInstances", "DescribeImages"),
                        ec2.launchInstance(),
                        // the interface is created with the instance (tagged like it), never an existing one
                        ec2.create("RunInstances", "volume", "network-interface"),
                        ec2.using("RunInstances", "subnet", "security-group"),
                        ec2.launchFromManagedImage(),
                        ec2.tagOnCreate(List.of("RunInstances"), "instance", "volume", "network-interface")),
                // DescribeInstances: the console is read only after the instance is checked to be this build's
                spec(CHECK_TEST_INSTANCE_STATUS, Sizing.LOOKUP,
                        ec2.describe("DescribeInstanceStatus", "DescribeInstances"),
                        ec2.onManaged("GetConsoleOutput", "instance")),
                spec(CHECK_FIRST_BOOT_MARKER, Sizing.LOOKUP, ec2.describe("DescribeInstances"),
                        ec2.onManaged("GetConsoleOutput", "instance")),
                spec(TERMINATE_TEST_INSTANCE, Sizing.CHANGE,
                        ec2.describe("DescribeInstances"),
                        ec2.onManaged("TerminateInstances", "instance")),
                spec(CHECK_TEST_INSTANCE_TERMINATED, Sizing.LOOKUP, ec2.describe("DescribeInstances")),

                spec(COPY_IMAGE, Sizing.CHANGE,
                        ec2.describe("DescribeImages"),
                        ec2.createInAnyRegion("CopyImage", "image", "snapshot"),
                        ec2.tagOnCreateInAnyRegion(List.of("CopyImage"), "image", "snapshot")),
                spec(CHECK_IMAGE_COPIES, Sizing.LOOKUP, ec2.describe("DescribeImages")),
                spec(SHARE_IMAGE, Sizing.CHANGE,
                        ec2.describe("DescribeImages"),
                        ec2.onManagedInAnyRegion("ModifyImageAttribute", "image"),
                        ec2.onManagedInAnyRegion("ModifySnapshotAttribute", "snapshot")),
                spec(DEPRECATE_IMAGE, Sizing.CHANGE, ec2.describe("DescribeImages"),
                        ec2.onManagedInAnyRegion("EnableImageDeprecation", "image")),
                // DescribeImages: Parameter Store checks an aws:ec2:image value with the caller's own permission,
                // and the handler checks that each image is this build's before publishing it
                spec(PUBLISH_PARAMETER, Sizing.CHANGE, createParameter, overwriteParameter,
                        ec2.describe("DescribeImages")),
                // DescribeVolumes: a snapshot whose volume still exists may be a running build's, not an orphan
                spec(APPLY_RETENTION, Sizing.CHANGE,
                        ec2.describe("DescribeImages", "DescribeSnapshots", "DescribeVolumes"),
                        ec2.onManagedInAnyRegion("DeregisterImage", "image"),
                        ec2.onManagedInAnyRegion("DeleteSnapshot", "snapshot")),
                // DescribeRegions: the janitor's document names no copy regions, so every enabled one is searched
                spec(DELETE_FAILED_IMAGE_COPIES, Sizing.ALL_REGIONS,
                        ec2.describe("DescribeImages", "DescribeSnapshots", "DescribeRegions"),
                        ec2.onManagedInAnyRegion("DeregisterImage", "image"),
                        ec2.onManagedInAnyRegion("DeleteSnapshot", "snapshot")),

                // DescribeImages: the image and copies it announces are checked to be this build's
                spec(NOTIFY_SUCCESS, Sizing.LOOKUP, withDescribeImages(ec2, notify(stack, topicArn, topicKeyArn))),
                spec(NOTIFY_FAILURE, Sizing.LOOKUP, notify(stack, topicArn, topicKeyArn)));
    }

    private static PolicyStatement[] withDescribeImages(Ec2Permissions ec2, PolicyStatement[] statements) {
        PolicyStatement[] out = java.util.Arrays.copyOf(statements, statements.length + 1);
        out[statements.length] = ec2.describe("DescribeImages");
        return out;
    }

    /** The account's default event bus, the stack's topic, and its key (SNS encrypts what is published). */
    private static PolicyStatement[] notify(Stack stack, String topicArn, String topicKeyArn) {
        return new PolicyStatement[] {
                statement(List.of("events:PutEvents"), List.of("arn:" + stack.getPartition() + ":events:"
                        + stack.getRegion() + ":" + stack.getAccount() + ":event-bus/default")),
                statement(List.of("sns:Publish"), List.of(topicArn)),
                statement(List.of("kms:GenerateDataKey", "kms:Decrypt"), List.of(topicKeyArn))};
    }

    /**
     * The janitor's daily sweep: which ended builds still own tagged resources (images and snapshots of failed
     * builds in every enabled region), and start their cleanup.
     */
    static HandlerSpec janitorSweep(Stack stack, String buildStateMachineArn, String cleanupStateMachineArn) {
        Ec2Permissions ec2 = new Ec2Permissions(stack);
        return new HandlerSpec(JANITOR_SWEEP, Sizing.SWEEP, List.of(
                statement(List.of("states:ListExecutions"), List.of(buildStateMachineArn, cleanupStateMachineArn)),
                statement(List.of("states:StartExecution"), List.of(cleanupStateMachineArn)),
                ec2.describe("DescribeInstances", "DescribeVolumes", "DescribeVpcs", "DescribeSubnets",
                        "DescribeSecurityGroups", "DescribeInternetGateways", "DescribeRouteTables",
                        "DescribeImages", "DescribeSnapshots", "DescribeRegions")));
    }

    private static HandlerSpec spec(String handler, Sizing sizing, PolicyStatement... statements) {
        if (!Handlers.BUILD.contains(handler)) {
            throw new IllegalArgumentException(handler + " is not a workflow handler");
        }
        return new HandlerSpec(handler, sizing, List.of(statements));
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }
}
