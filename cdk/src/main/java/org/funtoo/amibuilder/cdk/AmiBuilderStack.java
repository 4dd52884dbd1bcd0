package org.funtoo.amibuilder.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.cdk.HandlerCatalog.HandlerSpec;
import org.funtoo.amibuilder.statemachine.BuildWorkflow;
import org.funtoo.amibuilder.statemachine.BuildWorkflowProps;
import org.funtoo.amibuilder.statemachine.Handlers;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.interfaces.events.IRuleRef;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.RuleTargetConfig;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.InstanceProfile;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.ssm.CfnDocument;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The AMI factory: one {@code cdk deploy} puts into an account the build state machine, one Java Lambda per AWS
 * call, the helper instance's role, the bootstrap scripts and the SSM document that runs them, the janitor that
 * cleans up after builds that could not clean up themselves, and notifications. Nothing here runs EC2 itself:
 * every instance, volume and network is created per build by the workflow and carries the build's tags.
 *
 * <p>The constructor is the table of contents; each resource has its factory method below.
 */
public class AmiBuilderStack extends Stack {
    private static final String STATUS_CHANGE = "Step Functions Execution Status Change";
    private static final List<String> UNFINISHED_STATUSES = List.of("FAILED", "TIMED_OUT", "ABORTED");
    /** Endings the workflow cannot announce itself: no state runs after them. */
    private static final List<String> UNANNOUNCED_STATUSES = List.of("TIMED_OUT", "ABORTED");

    private final BuilderConfig config;
    private final RepoLayout layout;

    public AmiBuilderStack(Construct scope, String id, StackProps props, RepoLayout layout) {
        super(scope, id, props);
        this.config = BuilderConfig.from(getNode());
        this.layout = layout;

        LogGroup bootstrapLogs = logGroup("BootstrapCommandLogs");
        Asset scripts = bootstrapScriptsAsset();
        Role helperRole = helperRole(scripts, bootstrapLogs);
        InstanceProfile helperProfile = helperInstanceProfile(helperRole);
        CfnDocument bootstrapDocument = bootstrapDocument(scripts);

        Key notificationKey = notificationKey();
        Topic notifications = notificationTopic(notificationKey);

        Code handlerCode = Code.fromAsset(layout.lambdaJar().toString());
        Map<String, String> environment = handlerEnvironment(helperProfile, bootstrapDocument, bootstrapLogs,
                notifications);
        Map<String, IFunction> functions = new LinkedHashMap<>();
        for (HandlerSpec spec : HandlerCatalog.workflowHandlers(this, helperRole, config.helperImageOwners(),
                documentArn(bootstrapDocument),
                notifications.getTopicArn(), notificationKey.getKeyArn())) {
            functions.put(spec.handler(), handlerFunction(spec, handlerCode, environment));
        }

        LogGroup buildLogs = logGroup("BuildStateMachineLogs");
        LogGroup cleanupLogs = logGroup("CleanupStateMachineLogs");
        BuildWorkflow workflow = new BuildWorkflow(this, "Workflow", new BuildWorkflowProps(functions, buildLogs,
                cleanupLogs, config.buildTimeout(), config.bootstrapTimeout(),
                BuildWorkflowProps.DEFAULT_CLEANUP_TIMEOUT));
        StateMachine build = workflow.buildStateMachine();
        StateMachine cleanup = workflow.cleanupStateMachine();
        acknowledgeStateMachineRoles(build, cleanup, functions);

        janitorRule(build, cleanup);
        janitorSweep(build, cleanup, handlerCode);
        config.buildSchedule().ifPresent(expression -> buildSchedule(build, expression));
        notificationRule(build, notifications);

        outputs(build, cleanup, notifications, bootstrapLogs, buildLogs, cleanupLogs);
        conditionServiceTrust();
    }

    /** Retained across stack deletion (the history of builds outlives the factory), expiring after retention. */
    private LogGroup logGroup(String id) {
        return LogGroup.Builder.create(this, id)
                .retention(config.logRetention())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    private Asset bootstrapScriptsAsset() {
        return Asset.Builder.create(this, "BootstrapScripts")
                .path(layout.bootstrapScripts().toString())
                .exclude(List.of("tests"))
                .build();
    }

    /**
     * The helper instance: reachable by SSM Run Command, able to read the scripts asset (that one object only) and
     * to write the command output to its log group (and, when configured, the output bucket's prefix). Nothing
     * else: it builds the image from public stage3 mirrors. No AWS managed policy: AmazonSSMManagedInstanceCore
     * also grants ssm:GetParameter(s) on every parameter of the account, associations and inventory, none of which
     * Run Command uses, and whoever can start a build runs code of their choosing (the stage3) as root here.
     */
    private Role helperRole(Asset scripts, LogGroup bootstrapLogs) {
        Role role = Role.Builder.create(this, "HelperRole")
                .description("funtoo-ami-builder helper instance: SSM Run Command, bootstrap scripts, command logs")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .build();
        HELPER_AGENT_STATEMENTS.forEach(actions -> role.addToPolicy(statement(actions, List.of("*"))));
        role.addToPolicy(statement(List.of("s3:GetObject"),
                List.of(scripts.getBucket().arnForObjects(scripts.getS3ObjectKey()))));
        role.addToPolicy(statement(List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                List.of(bootstrapLogs.getLogGroupArn())));
        role.addToPolicy(statement(List.of("logs:DescribeLogGroups"),
                List.of("arn:" + getPartition() + ":logs:" + getRegion() + ":" + getAccount() + ":log-group:*")));
        config.bootstrapOutputBucket().ifPresent(bucket -> role.addToPolicy(statement(List.of("s3:PutObject"),
                List.of("arn:" + getPartition() + ":s3:::" + bucket + "/funtoo-ami-builder/*"))));
        NagAcknowledgments.acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                "The SSM agent's messaging (ec2messages, ssmmessages control channel) and its registration "
                        + "(ssm:UpdateInstanceInformation) have no resource-level permissions; nothing else is on *.");
        NagAcknowledgments.acknowledge(role,
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]",
                "The SSM agent looks up the command output's log group with DescribeLogGroups, which cannot be "
                        + "limited to one log group; writing is limited to the bootstrap log group.");
        config.bootstrapOutputBucket().ifPresent(bucket -> NagAcknowledgments.acknowledge(role,
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::" + bucket + "/funtoo-ami-builder/*]",
                "Run Command writes one output object per command, under the funtoo-ami-builder/ prefix only."));
        return role;
    }

    /**
     * What the SSM agent needs for Run Command and nothing more, from AWS's "Reference: ec2messages, ssmmessages,
     * and other API operations" (https://docs.aws.amazon.com/systems-manager/latest/userguide/systems-manager-setting-up-messageAPIs.html):
     * the agent registers and reports its status with ssm:UpdateInstanceInformation; it receives Command documents
     * through the Message Gateway Service's control channel (ssmmessages) when it can connect there, otherwise
     * through the Message Delivery Service (ec2messages), so both are granted. The data channel actions
     * (ssmmessages:CreateDataChannel / OpenDataChannel) carry Session Manager sessions
     * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmessagegatewayservice.html),
     * which the builder never opens: not granted, so nobody gets an interactive shell through this role.
     * Associations, inventory, patching, compliance, documents and parameters are State Manager / Inventory /
     * Patch Manager features the helper does not use.
     */
    static final List<List<String>> HELPER_AGENT_STATEMENTS = List.of(
            List.of("ssm:UpdateInstanceInformation"),
            List.of("ssmmessages:CreateControlChannel", "ssmmessages:OpenControlChannel"),
            List.of("ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
                    "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"));

    private InstanceProfile helperInstanceProfile(Role helperRole) {
        return InstanceProfile.Builder.create(this, "HelperInstanceProfile").role(helperRole).build();
    }

    private CfnDocument bootstrapDocument(Asset scripts) {
        return CfnDocument.Builder.create(this, "BootstrapDocument")
                .documentType("Command")
                .documentFormat("JSON")
                .content(BootstrapDocument.content(scripts.getHttpUrl(), scripts.getS3ObjectKey(),
                        config.bootstrapTimeout()))
                .build();
    }

    private String documentArn(CfnDocument document) {
        return "arn:" + getPartition() + ":ssm:" + getRegion() + ":" + getAccount() + ":document/"
                + document.getRef();
    }

    /** The same variables for every handler: each reads the ones it needs (lambdas README). */
    private Map<String, String> handlerEnvironment(InstanceProfile helperProfile, CfnDocument bootstrapDocument,
                                                   LogGroup bootstrapLogs, Topic notifications) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("NOTIFICATION_TOPIC_ARN", notifications.getTopicArn());
        environment.put("HELPER_INSTANCE_PROFILE_ARN", helperProfile.getInstanceProfileArn());
        environment.put("BOOTSTRAP_DOCUMENT_NAME", bootstrapDocument.getRef());
        environment.put("BOOTSTRAP_LOG_GROUP", bootstrapLogs.getLogGroupName());
        // always set (empty when off): every setting a handler reads is visible in the function's configuration
        environment.put("BOOTSTRAP_OUTPUT_S3_BUCKET", config.bootstrapOutputBucket().orElse(""));
        // the same owners the launch roles' ec2:Owner condition allows, "self" as the account id
        environment.put("HELPER_IMAGE_OWNERS", String.join(",", new Ec2Permissions(this)
                .accountOwners(config.helperImageOwners())));
        // a short-lived function never profits from the C2 compiler; C1 only cuts the cold start
        environment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        return environment;
    }

    /**
     * One function per handler, all from the one jar: Java 21 on Graviton, JSON logs into a log group of its own,
     * X-Ray traces, and a role with exactly the handler's statements. No SnapStart: it needs published versions
     * and aliases, and nothing was measured that would justify them for functions called a few hundred times
     * per build.
     */
    private Function handlerFunction(HandlerSpec spec, Code code, Map<String, String> environment) {
        String name = spec.handler();
        LogGroup logs = logGroup(name + "Logs");
        Role role = Role.Builder.create(this, name + "Role")
                .description("funtoo-ami-builder " + name)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        role.addToPolicy(statement(List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(logs.getLogGroupArn())));
        spec.statements().forEach(role::addToPolicy);
        Function function = Function.Builder.create(this, name)
                .description("funtoo-ami-builder " + name)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(code)
                .handler(Handlers.lambdaHandler(name))
                .memorySize(spec.sizing().memoryMb)
                .timeout(spec.sizing().timeout)
                .environment(environment)
                .role(role)
                .logGroup(logs)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.WARN)
                .tracing(Tracing.ACTIVE)
                .build();
        acknowledgeHandlerRole(role, spec);
        NagAcknowledgments.acknowledge(function, "AwsSolutions-L1",
                "The handlers are built and tested for Java 21, the project's pinned Lambda runtime; moving to a "
                        + "newer Java runtime is a deliberate change of the lambdas module, not of the stack.");
        return function;
    }

    /** FAILED / TIMED_OUT / ABORTED builds: run the cleanup state machine for the build id (the execution name). */
    private Rule janitorRule(StateMachine build, StateMachine cleanup) {
        return Rule.Builder.create(this, "JanitorRule")
                .description("funtoo-ami-builder: clean up after every build that did not succeed")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of(STATUS_CHANGE))
                        .detail(Map.of(
                                "stateMachineArn", List.of(build.getStateMachineArn()),
                                "status", UNFINISHED_STATUSES))
                        .build())
                .targets(List.of(SfnStateMachine.Builder.create(cleanup)
                        .input(RuleTargetInput.fromObject(Map.of("buildId", EventField.fromPath("$.detail.name"))))
                        .retryAttempts(10)
                        .build()))
                .build();
    }

    /** Daily: cleanup for ended builds that still own tagged resources (e.g. after a missed event). */
    private Function janitorSweep(StateMachine build, StateMachine cleanup, Code code) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("BUILD_STATE_MACHINE_ARN", build.getStateMachineArn());
        environment.put("CLEANUP_STATE_MACHINE_ARN", cleanup.getStateMachineArn());
        environment.put("SWEEP_LOOKBACK_DAYS", "7");
        environment.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        Function sweep = handlerFunction(HandlerCatalog.janitorSweep(this, build.getStateMachineArn(),
                cleanup.getStateMachineArn()), code, environment);
        Rule.Builder.create(this, "JanitorSweepSchedule")
                .description("funtoo-ami-builder: daily sweep for resources of ended builds")
                .schedule(Schedule.expression(config.janitorSchedule()))
                .targets(List.of(LambdaFunction.Builder.create(sweep).retryAttempts(2).build()))
                .build();
        return sweep;
    }

    /** Optional (context {@value BuilderConfig#BUILD_SCHEDULE}): start builds on a schedule with a fixed input. */
    private Rule buildSchedule(StateMachine build, String expression) {
        return Rule.Builder.create(this, "BuildSchedule")
                .description("funtoo-ami-builder: scheduled builds")
                .schedule(Schedule.expression(expression))
                .targets(List.of(SfnStateMachine.Builder.create(build)
                        .input(RuleTargetInput.fromObject(config.buildScheduleInput()))
                        .build()))
                .build();
    }

    /**
     * Build results for people. EventBridge can only publish to an encrypted topic through a customer managed key
     * whose policy lets it use the key; the AWS managed SNS key does not. The notification functions get the key
     * through their own roles.
     */
    private Key notificationKey() {
        // it only encrypts messages in flight through the topic: nothing to keep once the stack is gone, and a retained
        // key would be billed forever
        Key key = Key.Builder.create(this, "NotificationKey")
                .description("funtoo-ami-builder build notifications")
                .enableKeyRotation(true)
                .removalPolicy(software.amazon.awscdk.RemovalPolicy.DESTROY)
                .pendingWindow(software.amazon.awscdk.Duration.days(7))
                .build();
        // only for EventBridge rules of this account: the notification rule's exact ARN would make the key
        // depend on the rule that depends on the topic that depends on the key (a cycle CloudFormation refuses)
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", "arn:" + getPartition() + ":events:" + getRegion() + ":"
                                + getAccount() + ":rule/*")))
                .build());
        return key;
    }

    private Topic notificationTopic(Key key) {
        Topic topic = Topic.Builder.create(this, "Notifications")
                .displayName("funtoo-ami-builder builds")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        config.notificationEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        return topic;
    }

    /**
     * A build that ends normally announces itself (NotifySuccess / NotifyFailure, an event and a message); one that
     * timed out or was stopped never reaches those states, so this rule tells people instead.
     */
    private Rule notificationRule(StateMachine build, Topic topic) {
        return Rule.Builder.create(this, "NotificationRule")
                .description("funtoo-ami-builder: tell people about builds that were stopped or timed out")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of(STATUS_CHANGE))
                        .detail(Map.of(
                                "stateMachineArn", List.of(build.getStateMachineArn()),
                                "status", UNANNOUNCED_STATUSES))
                        .build())
                .targets(List.of(new TopicTarget(topic, RuleTargetInput.fromText("funtoo-ami-builder build "
                        + EventField.fromPath("$.detail.name") + " ended "
                        + EventField.fromPath("$.detail.status") + ". Output: "
                        + EventField.fromPath("$.detail.output") + " Execution: "
                        + executionConsoleUrl(EventField.fromPath("$.detail.executionArn"))))))
                .build();
    }

    /**
     * An SNS topic as a rule target, like {@code targets.SnsTopic} except for its grant: the topic accepts
     * EventBridge's publishing only on behalf of this rule ({@code aws:SourceArn}), where SnsTopic grants
     * events.amazonaws.com unconditioned, which any account's rule could use.
     */
    private static final class TopicTarget implements IRuleTarget {
        private final Topic topic;
        private final RuleTargetInput input;

        TopicTarget(Topic topic, RuleTargetInput input) {
            this.topic = topic;
            this.input = input;
        }

        @Override
        public RuleTargetConfig bind(IRuleRef rule) {
            return bind(rule, null);
        }

        @Override
        public RuleTargetConfig bind(IRuleRef rule, String id) {
            topic.addToResourcePolicy(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                    .actions(List.of("sns:Publish"))
                    .resources(List.of(topic.getTopicArn()))
                    .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", rule.getRuleRef().getRuleArn())))
                    .build());
            return RuleTargetConfig.builder().arn(topic.getTopicArn()).input(input).build();
        }
    }

    /**
     * Roles that Step Functions and EventBridge assume (the state machines' roles, the rule targets' roles) are
     * created by their constructs with a bare service principal: each gets the source conditions AWS documents
     * for them (Step Functions: https://docs.aws.amazon.com/step-functions/latest/dg/cross-service-confused-deputy-prevention.html,
     * EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html),
     * so only this account's state machines and rules can assume them.
     */
    private void conditionServiceTrust() {
        Map<String, String> sourceArns = Map.of(
                "states.amazonaws.com", "arn:" + getPartition() + ":states:" + getRegion() + ":" + getAccount()
                        + ":stateMachine:*",
                "events.amazonaws.com", "arn:" + getPartition() + ":events:" + getRegion() + ":" + getAccount()
                        + ":rule/*");
        for (IConstruct construct : getNode().findAll()) {
            if (!(construct instanceof Role role) || !(role.getNode().getDefaultChild() instanceof CfnRole cfn)) {
                continue;
            }
            Object document = resolve(role.getAssumeRolePolicy());
            if (!(document instanceof Map<?, ?> map) || !(map.get("Statement") instanceof List<?> statements)) {
                continue;
            }
            for (int i = 0; i < statements.size(); i++) {
                if (!(statements.get(i) instanceof Map<?, ?> statement)
                        || !(statement.get("Principal") instanceof Map<?, ?> principal)) {
                    continue;
                }
                String arn = sourceArns.get(String.valueOf(principal.get("Service")));
                if (arn != null && statement.get("Condition") == null) {
                    cfn.addPropertyOverride("AssumeRolePolicyDocument.Statement." + i + ".Condition", Map.of(
                            "StringEquals", Map.of("aws:SourceAccount", getAccount()),
                            "ArnLike", Map.of("aws:SourceArn", arn)));
                }
            }
        }
    }

    private void outputs(StateMachine build, StateMachine cleanup, Topic notifications, LogGroup bootstrapLogs,
                         LogGroup buildLogs, LogGroup cleanupLogs) {
        output("StateMachineArn", build.getStateMachineArn(), "start builds here");
        output("CleanupStateMachineArn", cleanup.getStateMachineArn(), "the janitor: start with {\"buildId\": ...}");
        output("ConsoleUrl", "https://" + getRegion() + ".console.aws.amazon.com/states/home?region=" + getRegion()
                + "#/statemachines/view/" + build.getStateMachineArn(), "the build state machine in the console");
        output("NotificationTopicArn", notifications.getTopicArn(), "subscribe to hear how builds end");
        output("BootstrapLogGroupName", bootstrapLogs.getLogGroupName(), "bootstrap.sh output of every build");
        output("BuildLogGroupName", buildLogs.getLogGroupName(), "build state machine execution log");
        output("CleanupLogGroupName", cleanupLogs.getLogGroupName(), "cleanup state machine execution log");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    private String executionConsoleUrl(String executionArn) {
        return "https://" + getRegion() + ".console.aws.amazon.com/states/home?region=" + getRegion()
                + "#/v2/executions/details/" + executionArn;
    }

    /** The findings a handler's table row makes necessary, each with the row's reason. */
    private static void acknowledgeHandlerRole(Role role, HandlerSpec spec) {
        List<String> starActions = spec.statements().stream()
                .filter(statement -> statement.getResources().contains("*"))
                .flatMap(statement -> statement.getActions().stream())
                .toList();
        NagAcknowledgments.acknowledge(role, "AwsSolutions-IAM5[Resource::*]",
                "On * only what has no resource-level permissions: X-Ray PutTraceSegments/PutTelemetryRecords"
                        + (starActions.isEmpty() ? "" : " and " + String.join(", ", starActions)) + ".");
        for (String resource : nagResources(spec)) {
            String reason = resource.contains(":parameter/aws/service/")
                    ? "The public Amazon Linux 2023 image parameters (one per architecture), read-only."
                    : resource.contains(":ssm:")
                    ? "The builder's own image parameters below /" + HandlerCatalog.PARAMETER_PREFIX + ", in the "
                            + "build's region and in the regions the input copies the image to (named at run time)."
                    : "The build creates this resource type at run time, with ids unknown here (and, for image "
                            + "copies, in regions the input names); every statement on it requires the "
                            + "funtoo-ami-builder tags in the request (creation) or on the resource (change, "
                            + "deletion), except launch-time use of the caller's own subnet, group, image.";
            NagAcknowledgments.acknowledge(role, "AwsSolutions-IAM5[Resource::" + resource + "]", reason);
        }
    }

    private void acknowledgeStateMachineRoles(StateMachine build, StateMachine cleanup,
                                              Map<String, IFunction> functions) {
        Map<StateMachine, List<String>> invoked = Map.of(build, Handlers.BUILD, cleanup, Handlers.CLEANUP);
        invoked.forEach((stateMachine, handlers) -> {
            NagAcknowledgments.acknowledge(stateMachine, "AwsSolutions-IAM5[Resource::*]",
                    "Step Functions delivers execution logs through the CloudWatch Logs log-delivery API and "
                            + "traces through X-Ray, neither of which has resource-level permissions.");
            handlers.forEach(handler -> NagAcknowledgments.acknowledge(stateMachine,
                    "AwsSolutions-IAM5[Resource::<" + logicalIdOf(functions.get(handler)) + ".Arn>:*]",
                    "The Lambda task integration grants the workflow's own function and its qualified "
                            + "versions; the definition only invokes the unqualified function."));
        });
        NagAcknowledgments.acknowledge(cleanup, "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:"
                        + "<AWS::Region>:<AWS::AccountId>:execution:<" + logicalIdOf(build) + ".Name>:*]",
                "The cleanup reads how the build it cleans up ended (DescribeExecution); the build id is only "
                        + "known at run time, the statement is limited to executions of the build state machine.");
    }

    /** EC2 and SSM ARNs with a wildcard, as cdk-nag names them: pseudo parameters as {@code <AWS::Name>}. */
    private static List<String> nagResources(HandlerSpec spec) {
        return spec.statements().stream()
                .flatMap(statement -> statement.getResources().stream())
                .filter(resource -> resource.endsWith("/*"))
                .map(resource -> resource
                        .replaceAll("\\$\\{Token\\[AWS\\.Partition\\.[0-9]+]}", "<AWS::Partition>")
                        .replaceAll("\\$\\{Token\\[AWS\\.Region\\.[0-9]+]}", "<AWS::Region>")
                        .replaceAll("\\$\\{Token\\[AWS\\.AccountId\\.[0-9]+]}", "<AWS::AccountId>"))
                .distinct()
                .toList();
    }

    private String logicalIdOf(IConstruct construct) {
        return getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }
}
