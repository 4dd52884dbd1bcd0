package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack's resources other than IAM and the SSM document. */
class StackResourcesTest {
    private final SynthesizedApp app = SynthesizedApp.get();
    private final Template template = app.stack.template();
    private final JsonNode resources = SynthesizedApp.JSON.valueToTree(app.stack.json()).get("Resources");

    @Test
    void everyHandlerRunsFromTheOneJarOnJava21Arm64WithJsonLogsAndTracing() {
        template.resourceCountIs("AWS::Lambda::Function", 44);
        Capture bucket = new Capture();
        Capture key = new Capture();
        template.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "Handler", Match.stringLikeRegexp("^org\\.funtoo\\.amibuilder\\.lambdas\\.[a-z]+\\.[A-Za-z]+Handler"
                        + "::handleRequest$"),
                "LoggingConfig", Match.objectLike(Map.of("LogFormat", "JSON", "LogGroup", Match.anyValue())),
                "TracingConfig", Map.of("Mode", "Active"),
                "Code", Map.of("S3Bucket", bucket, "S3Key", key))));
        List<String> keys = new ArrayList<>();
        functions().forEach(f -> keys.add(f.at("/Properties/Code/S3Key").asText()));
        assertEquals(1, new TreeSet<>(keys).size(), "one code asset for every function");
        assertTrue(keys.get(0).endsWith(".jar"), keys.get(0));
    }

    @Test
    void functionsAreSizedToTheirCall() {
        functions().forEach(function -> {
            String handler = function.at("/Properties/Handler").asText();
            int memory = function.at("/Properties/MemorySize").asInt();
            int timeout = function.at("/Properties/Timeout").asInt();
            assertTrue(memory >= 256 && memory <= 1024, handler + " memory " + memory);
            if (handler.contains("JanitorSweep") || handler.contains("DeleteFailedImageCopies")) {
                // these page through executions or search every enabled region
                assertTrue(timeout >= 120 && timeout <= 900, handler + " timeout " + timeout);
            } else {
                assertTrue(timeout >= 15 && timeout <= 60, handler + " timeout " + timeout);
            }
        });
    }

    @Test
    void everyLogGroupHasARetentionAndOutlivesTheStack() {
        template.resourceCountIs("AWS::Logs::LogGroup", 47);
        resources.fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            if (resource.get("Type").asText().equals("AWS::Logs::LogGroup")) {
                assertEquals(90, resource.at("/Properties/RetentionInDays").asInt(), entry.getKey());
                assertEquals("Retain", resource.get("DeletionPolicy").asText(), entry.getKey());
            }
        });
        functions().forEach(function -> {
            String handler = function.at("/Properties/Handler").asText().replaceAll(".*\\.([A-Za-z]+)::.*", "$1");
            assertTrue(function.at("/Properties/LoggingConfig/LogGroup/Ref").asText().startsWith(handler + "Logs"),
                    handler + " logs into a group of its own");
        });
    }

    @Test
    void theHelperRoleHasTheAgentsRunCommandActionsTheScriptsObjectAndItsLogsOnly() {
        JsonNode role = resources.get(helperRoleId());
        assertTrue(role.at("/Properties/ManagedPolicyArns").isMissingNode(),
                "no managed policy: AmazonSSMManagedInstanceCore reads every parameter of the account");
        assertEquals("ec2.amazonaws.com", role.at("/Properties/AssumeRolePolicyDocument/Statement/0/Principal/Service")
                .asText());
        List<IamStatements.Statement> statements = new IamStatements(app.stack.json()).all().stream()
                .filter(s -> s.role().startsWith("HelperRole")).toList();
        assertEquals(new TreeSet<>(List.of(
                        "ssm:UpdateInstanceInformation",
                        "ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel",
                        "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
                        "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
                        "s3:GetObject",
                        "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups")),
                new TreeSet<>(statements.stream().flatMap(s -> s.actions().stream()).toList()),
                "the helper role's final action list");
        statements.stream().filter(s -> s.resources().contains("*")).forEach(s -> assertTrue(s.actions().stream()
                .allMatch(a -> a.startsWith("ssmmessages:") || a.startsWith("ec2messages:")
                        || a.equals("ssm:UpdateInstanceInformation")), "only the agent's messaging on *: " + s));
        String key = BootstrapDocumentTest.assetKey();
        List<String> s3 = statements.stream().filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("s3:")))
                .flatMap(s -> s.resources().stream()).toList();
        assertEquals(1, s3.size(), "one S3 object");
        assertTrue(s3.get(0).endsWith("/" + key), s3.get(0));
        assertEquals(List.of("s3:GetObject"), statements.stream()
                .flatMap(s -> s.actions().stream()).filter(a -> a.startsWith("s3:")).toList());
        template.hasResourceProperties("AWS::IAM::InstanceProfile", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("^HelperRole.*"))))));
    }

    private String helperRoleId() {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("HelperRole") && e.getValue().path("Type").asText().equals("AWS::IAM::Role")) {
                ids.add(e.getKey());
            }
        });
        assertEquals(1, ids.size(), ids.toString());
        return ids.get(0);
    }

    @Test
    void theScriptsAssetIsTheBootstrapScriptsDirectoryWithoutItsTests() throws Exception {
        String key = BootstrapDocumentTest.assetKey();
        Path staged = app.assemblyDir.resolve("asset." + key.replace(".zip", ""));
        assertTrue(Files.isDirectory(staged), staged.toString());
        assertEquals(files(app.layout.bootstrapScripts(), true), files(staged, false));
    }

    @Test
    void handlersGetTheHelperProfileTheDocumentAndTheLogGroup() {
        functions().forEach(function -> {
            if (function.at("/Properties/Handler").asText().contains("JanitorSweep")) {
                return;
            }
            JsonNode environment = function.at("/Properties/Environment/Variables");
            assertTrue(environment.at("/HELPER_INSTANCE_PROFILE_ARN/Fn::GetAtt/0").asText()
                    .startsWith("HelperInstanceProfile"));
            assertEquals("BootstrapDocument", environment.at("/BOOTSTRAP_DOCUMENT_NAME/Ref").asText());
            assertTrue(environment.at("/BOOTSTRAP_LOG_GROUP/Ref").asText().startsWith("BootstrapCommandLogs"));
            assertTrue(environment.at("/NOTIFICATION_TOPIC_ARN/Ref").asText().startsWith("Notifications"),
                    "the notification handlers publish to the stack's topic");
        });
    }

    @Test
    void failedTimedOutAndAbortedBuildsStartTheCleanupWithTheirBuildId() {
        JsonNode rule = rule("JanitorRule");
        assertEquals(List.of("FAILED", "TIMED_OUT", "ABORTED"),
                strings(rule.at("/Properties/EventPattern/detail/status")));
        assertTrue(rule.at("/Properties/EventPattern/detail/stateMachineArn/0/Ref").asText()
                .startsWith("WorkflowBuildStateMachine"));
        JsonNode target = rule.at("/Properties/Targets/0");
        assertTrue(target.at("/Arn/Ref").asText().startsWith("WorkflowCleanupStateMachine"));
        assertEquals("{\"buildId\":<detail-name>}", target.at("/InputTransformer/InputTemplate").asText());
        assertEquals("$.detail.name", target.at("/InputTransformer/InputPathsMap/detail-name").asText());
    }

    @Test
    void aDailySweepLooksForOrphansAndBuildsAreNotScheduledByDefault() {
        JsonNode sweep = rule("JanitorSweepSchedule");
        assertEquals("cron(0 5 * * ? *)", sweep.at("/Properties/ScheduleExpression").asText());
        assertTrue(sweep.at("/Properties/Targets/0/Arn/Fn::GetAtt/0").asText().startsWith("JanitorSweepHandler"));
        assertTrue(findRule("BuildSchedule").isEmpty(), "no build schedule unless configured");
    }

    @Test
    void notificationsGoToAnEncryptedTopicThatRequiresTls() {
        template.hasResourceProperties("AWS::SNS::Topic", Match.objectLike(Map.of(
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^NotificationKey.*"), "Arn")))));
        template.hasResourceProperties("AWS::KMS::Key", Match.objectLike(Map.of("EnableKeyRotation", true)));
        template.hasResourceProperties("AWS::SNS::TopicPolicy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
        JsonNode rule = rule("NotificationRule");
        assertEquals(List.of("TIMED_OUT", "ABORTED"), strings(rule.at("/Properties/EventPattern/detail/status")),
                "builds that end in a state announce themselves (NotifySuccess / NotifyFailure); the rule covers "
                        + "the endings no state runs after");
        assertTrue(rule.at("/Properties/Targets/0/Arn/Ref").asText().startsWith("Notifications"));
    }

    @Test
    void outputsNameTheStateMachinesTheConsoleTheTopicAndTheLogGroups() {
        for (String output : List.of("StateMachineArn", "CleanupStateMachineArn", "ConsoleUrl",
                "NotificationTopicArn", "BootstrapLogGroupName", "BuildLogGroupName", "CleanupLogGroupName")) {
            template.hasOutput(output, Match.objectLike(Map.of("Value", Match.anyValue())));
        }
        template.hasOutput("StateMachineArn", Match.objectLike(Map.of("Value",
                Map.of("Ref", Match.stringLikeRegexp("^WorkflowBuildStateMachine.*")))));
    }

    @Test
    void contextSettingsScheduleBuildsSubscribeMailAndLengthenTheBootstrap() {
        Template configured = app.configured.template();
        configured.hasResourceProperties("AWS::Events::Rule", Match.objectLike(Map.of(
                "ScheduleExpression", "cron(0 4 ? * MON *)",
                "Targets", List.of(Match.objectLike(Map.of(
                        "Input", Match.serializedJson(Map.of("distribution", "gentoo", "architecture", "arm64"))))))));
        configured.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                "Protocol", "email", "Endpoint", "builds@example.org", "TopicArn", Match.anyValue()));
        configured.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)));
        configured.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment",
                Map.of("Variables", Match.objectLike(Map.of(
                        "BOOTSTRAP_OUTPUT_S3_BUCKET", "example-bootstrap-output"))))));
        JsonNode template = SynthesizedApp.JSON.valueToTree(app.configured.json());
        assertTrue(app.configured.buildDefinition().contains("\"deadlineSeconds\":14400"), "4 h bootstrap");
        assertTrue(app.configured.buildDefinition().contains("\"TimeoutSeconds\":28800"), "8 h build");
        assertTrue(template.toString().contains("\"default\":\"14400\""), "the command may run as long by default");
    }

    private List<JsonNode> functions() {
        List<JsonNode> functions = new ArrayList<>();
        resources.forEach(resource -> {
            if (resource.get("Type").asText().equals("AWS::Lambda::Function")) {
                functions.add(resource);
            }
        });
        return functions;
    }

    private JsonNode rule(String idPrefix) {
        return findRule(idPrefix).orElseThrow(() -> new AssertionError("no rule " + idPrefix));
    }

    private java.util.Optional<JsonNode> findRule(String idPrefix) {
        List<JsonNode> rules = new ArrayList<>();
        resources.fields().forEachRemaining(entry -> {
            if (entry.getKey().startsWith(idPrefix)
                    && entry.getValue().get("Type").asText().equals("AWS::Events::Rule")) {
                rules.add(entry.getValue());
            }
        });
        return rules.stream().findFirst();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static TreeSet<String> files(Path dir, boolean withoutTests) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            TreeSet<String> files = new TreeSet<>();
            paths.filter(Files::isRegularFile)
                    .map(path -> dir.relativize(path).toString())
                    .filter(path -> !withoutTests || !path.startsWith("tests/"))
                    .forEach(files::add);
            return files;
        }
    }
}
