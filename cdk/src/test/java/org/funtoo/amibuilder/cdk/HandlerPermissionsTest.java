package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.funtoo.amibuilder.cdk.IamStatements.Statement;
import org.junit.jupiter.api.Test;

/**
 * Least privilege per function: each handler's role allows exactly the actions of its row in the handler table
 * (HandlerCatalog), destructive actions only on resources tagged as the builder's, creating actions only with
 * the builder's tags in the request.
 */
class HandlerPermissionsTest {
    private static final String MANAGED = "aws:ResourceTag/funtoo-ami-builder:managed";
    private static final String REQUEST_MANAGED = "aws:RequestTag/funtoo-ami-builder:managed";
    private static final String REQUEST_BUILD_ID = "aws:RequestTag/funtoo-ami-builder:build-id";

    /** The handler table of the brief, written out independently of HandlerCatalog. */
    private static final Map<String, Set<String>> TABLE = Map.ofEntries(
            Map.entry("ValidateInputHandler", Set.of()),
            Map.entry("ResolveHelperImageHandler", Set.of("ssm:GetParameter", "ec2:DescribeImages")),
            Map.entry("CheckImageNameHandler", Set.of("ec2:DescribeImages")),
            Map.entry("SelectAvailabilityZoneHandler", Set.of("ec2:DescribeAvailabilityZones",
                    "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes")),
            Map.entry("CheckExistingNetworkHandler", Set.of("ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
                    "ec2:DescribeRouteTables", "ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes")),
            Map.entry("CreateVpcHandler", Set.of("ec2:DescribeVpcs", "ec2:CreateVpc", "ec2:ModifyVpcAttribute",
                    "ec2:CreateTags")),
            Map.entry("CreateSubnetHandler", Set.of("ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:CreateSubnet",
                    "ec2:ModifySubnetAttribute", "ec2:CreateTags")),
            Map.entry("CreateInternetGatewayHandler", Set.of("ec2:DescribeInternetGateways", "ec2:DescribeVpcs",
                    "ec2:CreateInternetGateway", "ec2:AttachInternetGateway", "ec2:CreateTags")),
            Map.entry("CreateRouteTableHandler", Set.of("ec2:DescribeRouteTables", "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets", "ec2:DescribeInternetGateways", "ec2:CreateRouteTable",
                    "ec2:CreateRoute", "ec2:AssociateRouteTable", "ec2:CreateTags")),
            Map.entry("CreateSecurityGroupHandler", Set.of("ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
                    "ec2:CreateSecurityGroup", "ec2:CreateTags")),
            Map.entry("LaunchHelperInstanceHandler", Set.of("ec2:DescribeInstances", "ec2:DescribeImages", "ec2:RunInstances",
                    "ec2:CreateTags", "iam:PassRole")),
            Map.entry("CheckHelperInstanceRunningHandler", Set.of("ec2:DescribeInstances")),
            Map.entry("CheckSsmAgentHandler", Set.of("ssm:DescribeInstanceInformation")),
            Map.entry("SendBootstrapCommandHandler", Set.of("ec2:DescribeInstances", "ssm:ListCommands",
                    "ssm:SendCommand")),
            Map.entry("GetBootstrapCommandHandler", Set.of("ec2:DescribeInstances", "ssm:GetCommandInvocation")),
            Map.entry("CreateSnapshotHandler", Set.of("ec2:DescribeSnapshots", "ec2:DescribeVolumes", "ec2:CreateSnapshot",
                    "ec2:CreateTags")),
            Map.entry("CheckSnapshotCompletedHandler", Set.of("ec2:DescribeSnapshots")),
            Map.entry("RegisterImageHandler", Set.of("ec2:DescribeImages", "ec2:DescribeSnapshots", "ec2:RegisterImage", "ec2:CreateTags")),
            Map.entry("CheckImageAvailableHandler", Set.of("ec2:DescribeImages")),
            Map.entry("TerminateInstancesHandler", Set.of("ec2:DescribeInstances", "ec2:TerminateInstances")),
            Map.entry("CheckInstancesTerminatedHandler", Set.of("ec2:DescribeInstances")),
            Map.entry("DeleteVolumesHandler", Set.of("ec2:DescribeVolumes", "ec2:DeleteVolume")),
            Map.entry("DeleteSecurityGroupHandler", Set.of("ec2:DescribeSecurityGroups",
                    "ec2:DeleteSecurityGroup")),
            Map.entry("DeleteInternetGatewayHandler", Set.of("ec2:DescribeInternetGateways",
                    "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway")),
            Map.entry("DeleteSubnetHandler", Set.of("ec2:DescribeSubnets", "ec2:DeleteSubnet")),
            Map.entry("DeleteRouteTableHandler", Set.of("ec2:DescribeRouteTables", "ec2:DisassociateRouteTable",
                    "ec2:DeleteRouteTable")),
            Map.entry("DeleteVpcHandler", Set.of("ec2:DescribeVpcs", "ec2:DeleteVpc")),
            Map.entry("DeleteFailedImageHandler", Set.of("ec2:DescribeImages", "ec2:DeregisterImage",
                    "ec2:DescribeSnapshots", "ec2:DeleteSnapshot")),
            Map.entry("SummarizeBuildHandler", Set.of()),
            Map.entry("LaunchTestInstanceHandler", Set.of("ec2:DescribeInstances", "ec2:DescribeImages", "ec2:RunInstances",
                    "ec2:CreateTags")),
            Map.entry("CheckTestInstanceStatusHandler", Set.of("ec2:DescribeInstanceStatus", "ec2:DescribeInstances",
                    "ec2:GetConsoleOutput")),
            Map.entry("CheckFirstBootMarkerHandler", Set.of("ec2:DescribeInstances", "ec2:GetConsoleOutput")),
            Map.entry("TerminateTestInstanceHandler", Set.of("ec2:DescribeInstances", "ec2:TerminateInstances")),
            Map.entry("CheckTestInstanceTerminatedHandler", Set.of("ec2:DescribeInstances")),
            Map.entry("CopyImageHandler", Set.of("ec2:DescribeImages", "ec2:CopyImage", "ec2:CreateTags")),
            Map.entry("CheckImageCopiesHandler", Set.of("ec2:DescribeImages")),
            Map.entry("ShareImageHandler", Set.of("ec2:DescribeImages", "ec2:ModifyImageAttribute",
                    "ec2:ModifySnapshotAttribute")),
            Map.entry("DeprecateImageHandler", Set.of("ec2:DescribeImages", "ec2:EnableImageDeprecation")),
            Map.entry("PublishParameterHandler", Set.of("ssm:PutParameter", "ssm:AddTagsToResource", "ec2:DescribeImages")),
            Map.entry("ApplyRetentionHandler", Set.of("ec2:DescribeImages", "ec2:DescribeSnapshots",
                    "ec2:DescribeVolumes", "ec2:DeregisterImage", "ec2:DeleteSnapshot")),
            Map.entry("DeleteFailedImageCopiesHandler", Set.of("ec2:DescribeImages", "ec2:DescribeSnapshots",
                    "ec2:DescribeRegions", "ec2:DeregisterImage", "ec2:DeleteSnapshot")),
            Map.entry("NotifySuccessHandler", Set.of("events:PutEvents", "sns:Publish", "kms:GenerateDataKey",
                    "kms:Decrypt", "ec2:DescribeImages")),
            Map.entry("NotifyFailureHandler", Set.of("events:PutEvents", "sns:Publish", "kms:GenerateDataKey",
                    "kms:Decrypt")),
            Map.entry("JanitorSweepHandler", Set.of("states:ListExecutions", "states:StartExecution",
                    "ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeVpcs", "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups", "ec2:DescribeInternetGateways", "ec2:DescribeRouteTables",
                    "ec2:DescribeImages", "ec2:DescribeSnapshots", "ec2:DescribeRegions")));

    private static final Set<String> CREATING = Set.of("ec2:CreateVpc", "ec2:CreateSubnet",
            "ec2:CreateInternetGateway", "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:RunInstances",
            "ec2:CreateSnapshot", "ec2:RegisterImage", "ec2:CopyImage");
    /** The handlers that create EC2 resources: each has its one tag-on-create statement. */
    private static final int CREATING_HANDLERS = 10;

    private final IamStatements iam = new IamStatements(SynthesizedApp.get().stack.json());

    @Test
    void eachFunctionMayCallExactlyTheActionsOfItsHandler() {
        Map<String, List<Statement>> byHandler = iam.byHandler();
        assertEquals(new TreeSet<>(TABLE.keySet()), new TreeSet<>(byHandler.keySet()));
        TABLE.forEach((handler, actions) ->
                assertEquals(new TreeSet<>(actions), IamStatements.awsActions(byHandler.get(handler)), handler));
    }

    @Test
    void noStatementGrantsAServiceWildcardOrAnyIamActionButPassRole() {
        for (Statement statement : iam.all()) {
            for (String action : statement.actions()) {
                assertFalse(action.contains("*") && !action.equals("kms:GenerateDataKey*"),
                        statement.role() + " allows " + action);
                assertTrue(!action.startsWith("iam:") || action.equals("iam:PassRole"),
                        statement.role() + " allows " + action);
            }
        }
    }

    @Test
    void destructiveActionsOnlyTouchResourcesTaggedAsTheBuilders() {
        int checked = 0;
        for (Statement statement : iam.all()) {
            for (String action : statement.actions()) {
                if (isDestructive(action)) {
                    assertEquals("true", statement.condition("StringEquals", MANAGED), statement + " " + action);
                    statement.resources().forEach(resource -> assertTrue(resource.endsWith("/*")
                            && !resource.equals("*"), action + " on " + resource));
                    checked++;
                }
            }
        }
        assertTrue(checked >= 16, "destructive statements found: " + checked);
    }

    @Test
    void creatingActionsNeedTheBuildersTagsInTheRequest() {
        for (String action : CREATING) {
            List<Statement> statements = iam.all().stream().filter(s -> s.allows(action)).toList();
            assertFalse(statements.isEmpty(), action);
            assertTrue(statements.stream().anyMatch(this::requiresBuilderTags), action + " without request tags");
            for (Statement statement : statements) {
                boolean onExisting = "true".equals(statement.condition("StringEquals", MANAGED));
                boolean launchUse = action.equals("ec2:RunInstances") && statement.resources().stream()
                        .allMatch(r -> r.matches(".*:(network-interface|subnet|security-group|image)/\\*"));
                assertTrue(requiresBuilderTags(statement) || onExisting || launchUse,
                        action + " on " + statement.resources() + " is unconditioned");
            }
        }
    }

    @Test
    void tagsAreOnlyWrittenByTheCallThatCreatesTheResource() {
        List<Statement> tagging = iam.all().stream().filter(s -> s.allows("ec2:CreateTags")).toList();
        assertEquals(CREATING_HANDLERS, tagging.size(), "one tag-on-create statement per creating handler");
        for (Statement statement : tagging) {
            String createActions = statement.condition("StringEquals", "ec2:CreateAction");
            assertNotNull(createActions, statement.toString());
            assertTrue(requiresBuilderTags(statement), statement.toString());
        }
    }

    @Test
    void helperAndTestInstancesCanOnlyBeLaunchedWithImdsV2() {
        List<Statement> launches = iam.all().stream()
                .filter(s -> s.allows("ec2:RunInstances") && s.resources().get(0).endsWith(":instance/*"))
                .toList();
        assertEquals(2, launches.size(), "the helper's and the test instance's");
        for (Statement launch : launches) {
            assertEquals("required", launch.condition("StringEquals", "ec2:MetadataHttpTokens"));
            assertTrue(requiresBuilderTags(launch));
        }
    }

    @Test
    void imagesAndSnapshotsAreChangedInTheCopiesRegionsOnlyWhenTheyAreTheBuilders() {
        Map<String, List<Statement>> byHandler = iam.byHandler();
        for (String handler : List.of("ShareImageHandler", "DeprecateImageHandler", "ApplyRetentionHandler",
                "DeleteFailedImageCopiesHandler")) {
            List<Statement> changing = byHandler.get(handler).stream()
                    .filter(s -> s.actions().stream().anyMatch(a -> a.matches("ec2:(Modify|Enable|Deregister|Delete).*")))
                    .toList();
            assertFalse(changing.isEmpty(), handler);
            for (Statement statement : changing) {
                assertEquals("true", statement.condition("StringEquals", MANAGED), handler + " " + statement);
                statement.resources().forEach(r -> assertTrue(r.matches("arn:\\$\\{AWS::Partition}:ec2:\\*::"
                        + "(image|snapshot)/\\*"), handler + " on " + r));
            }
        }
        Statement copy = byHandler.get("CopyImageHandler").stream().filter(s -> s.allows("ec2:CopyImage"))
                .findFirst().orElseThrow();
        assertTrue(requiresBuilderTags(copy), "copies are made with the builder's tags only");
    }

    @Test
    void parametersCanOnlyBeWrittenBelowTheBuildersPrefixAndOverwrittenOnlyWhenTheBuilderMadeThem() {
        List<Statement> put = iam.all().stream().filter(s -> s.allows("ssm:PutParameter")).toList();
        assertEquals(2, put.size(), put.toString());
        put.forEach(s -> assertEquals(
                List.of("arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:parameter/funtoo-ami-builder/*"), s.resources()));
        Statement create = put.stream().filter(s -> s.allows("ssm:AddTagsToResource")).findFirst().orElseThrow();
        assertTrue(requiresBuilderTags(create), "the first build creates it with the builder's tags");
        assertEquals("false", create.condition("StringEqualsIfExists", "ssm:Overwrite"));
        Statement overwrite = put.stream().filter(s -> !s.allows("ssm:AddTagsToResource")).findFirst().orElseThrow();
        assertEquals("true", overwrite.condition("StringEquals", "ssm:Overwrite"));
        assertEquals("true", overwrite.condition("StringEquals", MANAGED), "only a parameter a build created");
    }

    @Test
    void notificationsGoOnlyToTheDefaultBusAndTheStacksTopicWithItsKey() {
        for (String handler : List.of("NotifySuccessHandler", "NotifyFailureHandler")) {
            List<Statement> statements = iam.byHandler().get(handler);
            assertEquals(List.of("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"),
                    only(statements, "events:PutEvents").resources(), handler);
            assertTrue(only(statements, "sns:Publish").resources().get(0).matches("\\$\\{Notifications[0-9A-F]+}"),
                    handler);
            assertTrue(only(statements, "kms:GenerateDataKey").resources().get(0)
                    .matches("\\$\\{NotificationKey[0-9A-F]+\\.Arn}"), handler);
        }
    }

    private static Statement only(List<Statement> statements, String action) {
        List<Statement> allowing = statements.stream().filter(s -> s.allows(action)).toList();
        assertEquals(1, allowing.size(), action);
        return allowing.get(0);
    }

    @Test
    void theOnlyRoleThatCanBePassedIsTheHelpersAndOnlyToEc2() {
        List<Statement> passRole = iam.all().stream().filter(s -> s.allows("iam:PassRole")).toList();
        assertEquals(1, passRole.size());
        assertEquals(1, passRole.get(0).resources().size());
        assertTrue(passRole.get(0).resources().get(0).matches("\\$\\{HelperRole[0-9A-F]+\\.Arn}"),
                passRole.get(0).resources().toString());
        assertEquals("ec2.amazonaws.com", passRole.get(0).condition("StringEquals", "iam:PassedToService"));
    }

    @Test
    void commandsCanOnlyRunTheStacksDocumentOnTheBuildersInstances() {
        List<Statement> sendCommand = iam.all().stream().filter(s -> s.allows("ssm:SendCommand")).toList();
        assertEquals(2, sendCommand.size());
        for (Statement statement : sendCommand) {
            String resource = statement.resources().get(0);
            assertEquals(1, statement.resources().size());
            if (resource.contains(":document/")) {
                assertTrue(resource.matches(".*:document/\\$\\{BootstrapDocument[0-9A-F]*}"), resource);
            } else {
                assertTrue(resource.endsWith(":instance/*"), resource);
                assertEquals("true", statement.condition("StringEquals",
                        "ssm:resourceTag/funtoo-ami-builder:managed"));
            }
        }
    }

    @Test
    void noRoleCanOpenASecurityGroupAndTheStackCreatesNone() {
        for (Statement statement : iam.all()) {
            for (String action : statement.actions()) {
                assertFalse(action.matches("ec2:(Authorize|Revoke|ModifySecurityGroupRules|UpdateSecurityGroup).*"),
                        statement.role() + " allows " + action);
            }
        }
        SynthesizedApp.get().stack.template().resourceCountIs("AWS::EC2::SecurityGroup", 0);
        SynthesizedApp.get().stack.template().resourceCountIs("AWS::EC2::SecurityGroupIngress", 0);
    }

    @Test
    void onlyActionsWithoutResourceLevelPermissionsAreGrantedOnEverything() {
        Set<String> allowedOnStar = Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords",
                "ssm:DescribeInstanceInformation", "ssm:ListCommands", "ssm:GetCommandInvocation",
                // Step Functions log delivery
                "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups", "xray:GetSamplingRules", "xray:GetSamplingTargets",
                // the helper's SSM agent: messaging and registration (AmiBuilderStack.HELPER_AGENT_STATEMENTS)
                "ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel",
                "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
                "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply");
        for (Statement statement : iam.all()) {
            if (statement.resources().contains("*")) {
                statement.actions().forEach(action -> assertTrue(
                        allowedOnStar.contains(action) || action.startsWith("ec2:Describe"),
                        statement.role() + " allows " + action + " on *"));
            }
        }
    }

    private boolean requiresBuilderTags(Statement statement) {
        return "true".equals(statement.condition("StringEquals", REQUEST_MANAGED))
                && "false".equals(statement.condition("Null", REQUEST_BUILD_ID));
    }

    private static boolean isDestructive(String action) {
        return action.matches("ec2:(Terminate|Delete|Detach|Disassociate|Deregister).*");
    }
}
