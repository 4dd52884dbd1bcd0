package org.funtoo.amibuilder.statemachine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.JitterType;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.Result;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Succeed;
import software.amazon.awscdk.services.stepfunctions.tasks.CallAwsService;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The build workflow and its cleanup, as two Standard state machines.
 *
 * <p><b>Build</b> ({@link #buildStateMachine()}):
 * <pre>
 * ValidateInput
 * main path (every task: catch-all States.ALL → $.error → KeepResources?; every loop: timeout → $.error → KeepResources?)
 *   ResolveHelperImage → CheckImageName → NetworkProvided?
 *     yes: CheckExistingNetwork
 *     no:  SelectAvailabilityZone → CreateVpc → CreateSubnet → CreateInternetGateway → CreateRouteTable
 *          → CreateSecurityGroup
 *   → LaunchHelperInstance → [WaitForHelperRunning] → RecordTargetVolume → [WaitForSsmAgent]
 *   → SendBootstrapCommand → [WaitForBootstrap] → RecordStage3Url → RecordStage3Sha256
 *   → CreateSnapshot → [WaitForSnapshot] → RegisterImage → [WaitForImage] → ImageReady → ReleaseHelper
 *   → SmokeTestEnabled? (yes) LaunchTestInstance → [WaitForTestInstanceStatus] → [WaitForFirstBootMarker]
 *                             → TerminateTestInstance → [WaitForTestInstanceTerminated]
 *   → CopiesRequested? → CopyImage → [WaitForImageCopies]
 *   → SharingRequested? → ShareImage → DeprecationRequested? → DeprecateImage
 *   → PublishParameter → RetentionRequested? → ApplyRetention → KeepResources?
 * KeepResources? → (no) BeginCleanup → cleanup chain → ErrorCaught? ; (yes) ErrorCaught?
 * ErrorCaught? → (yes) NotifyFailure → FailureKind? → a named error's own Fail state (BootstrapFailed, ...),
 *                                                   or BuildFailed: Fail with the original error; the cause as caught
 *              → (no)  CleanupCompleted? → NotifySuccess → SummarizeBuild → BuildSucceeded
 *                                         | NotifyFailure → FailureKind? → DescribeCleanupErrors → CleanupIncomplete
 * </pre>
 * The cleanup chain ({@link CleanupChain}) records a step that still fails after its retries and goes on with
 * the next one. On the failure path the build's own error stays the execution's error (the janitor runs the
 * teardown again for every failed build); on the success path any recorded step ends the build with
 * {@code CleanupFailed}, its image kept.
 *
 * <p>Smoke test and publish come after {@code ImageReady}, built with the same catching task factory: a failed
 * smoke test ({@code SmokeTestFailed}) or publish step ({@code PublishFailed}) goes down the failure path, which
 * terminates the test instance with the helper and deletes the image, its snapshot and its copies. Publishing
 * runs the steps that can still fail first and makes the image visible last: copies, sharing and deprecation,
 * then the SSM parameter (every region at once), so that no parameter points at an image a failed build deletes.
 * Retention then removes older images; its failure is recorded ({@code $.retentionError}) but does not undo a
 * published build. Optional steps are skipped when the input does not ask for them.
 *
 * <p>Both outcomes are announced after the cleanup (NotifySuccess / NotifyFailure: an EventBridge event and an SNS
 * message); a notification that cannot be delivered is recorded ({@code $.notifyError}) and changes nothing.
 *
 * <p>Why a catch on every task rather than one Parallel around the path: a Parallel's catch sees only the
 * Parallel's input, the document from before anything was created. With the catch on each task the error lands
 * next to the document as that task received it, so cleanup deletes by the ids in {@code resources} (and by tag
 * as a second net), as ARCHITECTURE.md ("The state document", "The teardown") requires. A loop past its deadline
 * writes its named timeout ({@code SnapshotTimeout}) to {@code $.error} the same way. A handler's named error
 * arrives under its fully qualified class name; {@link NamedErrorEnds} ends the execution with its short name
 * ({@code BootstrapFailed}), and {@code BuildFailed} ends it with any other error (a loop's timeout, Lambda's own)
 * as it came.
 *
 * <p>ValidateInput catches only {@code InvalidInput}, straight into its Fail state: an invalid input has created
 * nothing, so the execution fails at once with {@code InvalidInput} and no teardown.
 *
 * <p><b>Cleanup</b> ({@link #cleanupStateMachine()}), started by the janitor with {@code {buildId}}:
 * <pre>
 * PrepareCleanup → DescribeBuildExecution → BuildInputKnown? → ReadBuildInput → BuildKeptResources?
 *   keepResources: true in the build's input → ResourcesKeptOnRequest (Succeed: nothing is deleted)
 * → BuildStatus?
 *   RUNNING                            → BuildStillRunning (Fail: never tear down under a running build)
 *   SUCCEEDED, or FAILED CleanupFailed → the chain, keeping the image (the build delivered it)
 *   anything else                      → RecordBuildFailure ($.error) → the chain, deleting the image
 * → CleanupCompleted? → CleanupSucceeded | DescribeCleanupErrors → CleanupIncomplete (error CleanupFailed)
 * </pre>
 * Deciding about the image here, from how the build ended, keeps every caller of the cleanup (the rule on ended
 * builds, the daily sweep, an operator) from deleting an AMI that a build delivered.
 * If the build's execution cannot be described (expired from history, no such name), the image is kept: nothing
 * deletes an AMI that is not known to come from a failed build.
 */
public class BuildWorkflow extends Construct {
    /** The state that terminates the helper once the image is ready (the cleanup terminates it again, idempotently). */
    public static final String RELEASE_HELPER = "ReleaseHelper";

    public static final String ERROR = "$.error";
    static final String KEEP_RESOURCES = "$.config.keepResources";
    /** The cleanup state machine's copy of the build's own input, read from DescribeExecution. */
    static final String BUILD_INPUT = "$.buildInput";
    /**
     * Set by ValidateInput for every input: false when the caller gave a subnet and security group. The validated
     * config carries every field, null where nothing was given, so "is the subnet id present" would always be true.
     */
    static final String TEMPORARY_NETWORK = "$.config.network.temporary";
    static final String SMOKE_TEST_ENABLED = "$.config.smokeTest.enabled";
    static final String PUBLISH = "$.config.publish";
    /** Where a failed retention or notification is recorded: neither changes how the build ends. */
    static final String RETENTION_ERROR = "$.retentionError";
    static final String NOTIFY_ERROR = "$.notifyError";

    private final StateMachine build;
    private final StateMachine cleanup;

    public BuildWorkflow(Construct scope, String id, BuildWorkflowProps props) {
        super(scope, id);
        requireFunctions(props.functions());
        Construct buildScope = new Construct(this, "Build");
        this.build = StateMachine.Builder.create(this, "BuildStateMachine")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromChainable(
                        buildDefinition(buildScope, new WorkflowTasks(buildScope, props.functions()), props)))
                .timeout(props.buildTimeout())
                .tracingEnabled(true)
                .logs(allEvents(props.buildLogGroup()))
                .build();
        Construct cleanupScope = new Construct(this, "Cleanup");
        this.cleanup = StateMachine.Builder.create(this, "CleanupStateMachine")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromChainable(
                        cleanupDefinition(cleanupScope, new WorkflowTasks(cleanupScope, props.functions()))))
                .timeout(props.cleanupTimeout())
                .tracingEnabled(true)
                .logs(allEvents(props.cleanupLogGroup()))
                .build();
    }

    public StateMachine buildStateMachine() {
        return build;
    }

    public StateMachine cleanupStateMachine() {
        return cleanup;
    }

    private static IChainable buildDefinition(Construct scope, WorkflowTasks tasks, BuildWorkflowProps props) {
        LambdaInvoke validate = tasks.validate();

        Choice keepResources = Choice.Builder.create(scope, "KeepResources?").build();
        Choice errorCaught = Choice.Builder.create(scope, "ErrorCaught?").build();
        Pass beginCleanup = Pass.Builder.create(scope, "BeginCleanup")
                .result(Result.fromObject(Map.of()))
                .resultPath(CleanupChain.ERRORS)
                .build();
        CleanupChain cleanup = new CleanupChain(scope, tasks);
        beginCleanup.next(cleanup.entry());
        cleanup.then(errorCaught);
        keepResources
                .when(Condition.and(Condition.isPresent(KEEP_RESOURCES), Condition.booleanEquals(KEEP_RESOURCES, true)),
                        errorCaught)
                .otherwise(beginCleanup);

        // an error that is not one of the named ones (Lambda's own, States.*, a loop's timeout) ends the build as is
        Fail buildFailed = Fail.Builder.create(scope, "BuildFailed")
                .errorPath("$.error.Error")
                .causePath("$.error.Cause")
                .build();
        NamedErrorEnds namedEnds = new NamedErrorEnds(scope, ERROR);
        Choice failureKind = namedEnds.addRulesTo(Choice.Builder.create(scope, "FailureKind?").build())
                .when(Condition.isPresent(ERROR), buildFailed)
                .otherwise(cleanupFailed(scope));
        LambdaInvoke notifyFailure = tasks.tolerant(Handlers.NOTIFY_FAILURE, NOTIFY_ERROR, failureKind);
        LambdaInvoke summary = tasks.summary();
        summary.next(Succeed.Builder.create(scope, "BuildSucceeded").build());
        LambdaInvoke notifySuccess = tasks.tolerant(Handlers.NOTIFY_SUCCESS, NOTIFY_ERROR, summary);
        Choice cleanupCompleted = cleanup.completedChoice(List.of(), notifySuccess, notifyFailure);
        errorCaught.when(Condition.isPresent(ERROR), notifyFailure).otherwise(cleanupCompleted);

        // an invalid input has created nothing: it ends the build at once, under its short name, with no teardown
        validate.addCatch(namedEnds.of(ErrorName.InvalidInput), CatchProps.builder()
                .errors(List.of(ErrorName.InvalidInput.errorType()))
                .resultPath(ERROR)
                .build());
        return validate.next(imagePath(scope, tasks.catchingInto(keepResources), props, keepResources));
    }

    /**
     * The main path: preflight, network, helper, bootstrap, snapshot, image. Every task in it carries the catch-all
     * into {@code KeepResources?} (see {@link WorkflowTasks#catchingInto}), every loop records its timeout and goes
     * there too, and so does the path's end, {@code ImageReady}.
     */
    private static IChainable imagePath(Construct scope, WorkflowTasks tasks, BuildWorkflowProps props,
                                        IChainable end) {
        LambdaInvoke resolveHelperImage = tasks.resources(Handlers.RESOLVE_HELPER_IMAGE);
        LambdaInvoke checkImageName = tasks.verification(Handlers.CHECK_IMAGE_NAME);
        LambdaInvoke launchHelper = tasks.resources(Handlers.LAUNCH_HELPER_INSTANCE);

        Choice networkProvided = Choice.Builder.create(scope, "NetworkProvided?").build()
                .when(Condition.booleanEquals(TEMPORARY_NETWORK, false),
                        tasks.resources(Handlers.CHECK_EXISTING_NETWORK).next(launchHelper))
                .otherwise(tasks.resources(Handlers.SELECT_AVAILABILITY_ZONE)
                        .next(tasks.resources(Handlers.CREATE_VPC))
                        .next(tasks.resources(Handlers.CREATE_SUBNET))
                        .next(tasks.resources(Handlers.CREATE_INTERNET_GATEWAY))
                        .next(tasks.resources(Handlers.CREATE_ROUTE_TABLE))
                        .next(tasks.resources(Handlers.CREATE_SECURITY_GROUP))
                        .next(launchHelper));

        WaitLoop helperRunning = new WaitLoop(scope, LoopSpec.helperRunning(), tasks);
        WaitLoop ssmAgent = new WaitLoop(scope, LoopSpec.ssmAgentOnline(), tasks);
        LambdaInvoke sendBootstrap = tasks.resources(Handlers.SEND_BOOTSTRAP_COMMAND);
        WaitLoop bootstrap = new WaitLoop(scope, LoopSpec.bootstrap(props.bootstrapDeadline()), tasks);
        LambdaInvoke createSnapshot = tasks.resources(Handlers.CREATE_SNAPSHOT);
        WaitLoop snapshot = new WaitLoop(scope, LoopSpec.snapshot(), tasks);
        LambdaInvoke registerImage = tasks.resources(Handlers.REGISTER_IMAGE);
        WaitLoop image = new WaitLoop(scope, LoopSpec.image(), tasks);
        // The image exists and is available: what follows tests and publishes it.
        Pass imageReady = Pass.Builder.create(scope, "ImageReady").build();

        launchHelper.next(helperRunning.entry());
        helperRunning.continueWithOrFail(copyFromPoll(scope, "RecordTargetVolume", "targetVolumeId")
                .next(ssmAgent.entry()), end);
        ssmAgent.continueWithOrFail(sendBootstrap, end);
        sendBootstrap.next(bootstrap.entry());
        bootstrap.continueWithOrFail(copyFromPoll(scope, "RecordStage3Url", "stage3Url")
                .next(copyFromPoll(scope, "RecordStage3Sha256", "stage3Sha256"))
                .next(copyFromPoll(scope, "RecordBootstrapPhases", "bootstrapPhases"))
                .next(createSnapshot), end);
        createSnapshot.next(snapshot.entry());
        snapshot.continueWithOrFail(registerImage, end);
        registerImage.next(image.entry());
        image.continueWithOrFail(imageReady, end);
        // The helper has done its work once the image exists: terminating it now (TerminateInstances' handler,
        // the cleanup's first step, in a state of its own) frees its vCPUs before the smoke test asks for a
        // test instance's, so no build ever holds one instance while it waits for quota for the next: builds
        // sharing an account's vCPU quota can always all finish (see the README, "Many builds at once").
        imageReady.next(tasks.resources(Handlers.TERMINATE_INSTANCES, RELEASE_HELPER)
                .next(smokeTest(scope, tasks, publish(scope, tasks, end), end)));

        return resolveHelperImage.next(checkImageName).next(networkProvided);
    }

    /**
     * Boot the image as a user would and require its status checks and first-boot marker, then remove the test
     * instance; skipped with {@code smokeTest.enabled: false}. Any failure is {@code SmokeTestFailed} and takes the
     * catch-all, whose cleanup terminates the test instance (found by the build's tag) and deletes the image.
     */
    private static IChainable smokeTest(Construct scope, WorkflowTasks tasks, IChainable next, IChainable onError) {
        LambdaInvoke launch = tasks.resources(Handlers.LAUNCH_TEST_INSTANCE);
        WaitLoop healthy = new WaitLoop(scope, LoopSpec.testInstanceStatus(), tasks);
        WaitLoop marker = new WaitLoop(scope, LoopSpec.firstBootMarker(), tasks);
        LambdaInvoke terminate = tasks.resources(Handlers.TERMINATE_TEST_INSTANCE);
        WaitLoop terminated = new WaitLoop(scope, LoopSpec.testInstanceTerminated(), tasks);
        launch.next(healthy.entry());
        healthy.continueWithOrFail(marker.entry(), onError);
        marker.continueWithOrFail(terminate, onError);
        terminate.next(terminated.entry());
        terminated.continueWithOrFail(next, onError);
        return Choice.Builder.create(scope, "SmokeTestEnabled?").build()
                .when(Condition.booleanEquals(SMOKE_TEST_ENABLED, true), launch)
                .otherwise(next);
    }

    /**
     * Copies, sharing and deprecation (each only when asked for), then the SSM parameter, then retention. Built
     * from its end backwards, since each Choice needs the state it skips to. "Asked for" is {@code IsNumeric} on
     * the counts (null when not given) rather than {@code IsNull: false}, which aws-local-stepfunctions, the
     * tests' interpreter, always evaluates to false.
     */
    private static IChainable publish(Construct scope, WorkflowTasks tasks, IChainable end) {
        LambdaInvoke retention = tasks.tolerant(Handlers.APPLY_RETENTION, RETENTION_ERROR, end);
        LambdaInvoke parameter = tasks.resources(Handlers.PUBLISH_PARAMETER);
        parameter.next(Choice.Builder.create(scope, "RetentionRequested?").build()
                .when(Condition.isNumeric(PUBLISH + ".keepLatest"), retention)
                .otherwise(end));

        LambdaInvoke deprecate = tasks.resources(Handlers.DEPRECATE_IMAGE);
        deprecate.next(parameter);
        Choice deprecation = Choice.Builder.create(scope, "DeprecationRequested?").build()
                .when(Condition.isNumeric(PUBLISH + ".deprecateAfterDays"), deprecate)
                .otherwise(parameter);

        LambdaInvoke share = tasks.resources(Handlers.SHARE_IMAGE);
        share.next(deprecation);
        Choice sharing = Choice.Builder.create(scope, "SharingRequested?").build()
                .when(Condition.or(Condition.isPresent(PUBLISH + ".launchPermissionAccountIds[0]"),
                        Condition.booleanEquals(PUBLISH + ".public", true)), share)
                .otherwise(deprecation);

        LambdaInvoke copy = tasks.resources(Handlers.COPY_IMAGE);
        WaitLoop copies = new WaitLoop(scope, LoopSpec.imageCopies(), tasks);
        copy.next(copies.entry());
        copies.continueWithOrFail(sharing, end);
        return Choice.Builder.create(scope, "CopiesRequested?").build()
                .when(Condition.isPresent(PUBLISH + ".copyToRegions[0]"), copy)
                .otherwise(sharing);
    }

    /** A fact a check handler saw ({@code $.poll.<field>}) that later states need: copied into resources. */
    private static Pass copyFromPoll(Construct scope, String stateName, String field) {
        return Pass.Builder.create(scope, stateName)
                .inputPath(WorkflowTasks.POLL + "." + field)
                .resultPath(WorkflowTasks.RESOURCES + "." + field)
                .build();
    }

    private IChainable cleanupDefinition(Construct scope, WorkflowTasks tasks) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("config", Map.of("buildId", JsonPath.stringAt("$.buildId")));
        document.put("resources", Map.of());
        document.put("poll", Map.of());
        document.put("cleanupErrors", Map.of());
        Pass prepare = Pass.Builder.create(scope, "PrepareCleanup").parameters(document).build();

        CallAwsService describeBuild = describeBuildExecution(scope);
        CleanupChain cleanup = new CleanupChain(scope, tasks);
        String describeStep = describeBuild.getNode().getId();
        CleanupChain.recordAndContinue(describeBuild, describeStep, cleanup.entry());

        Map<String, Object> buildError = new LinkedHashMap<>();
        buildError.put("Error", JsonPath.stringAt("$.build.Status"));
        buildError.put("Cause", "the build did not deliver an image; its image and snapshot are deleted");
        Pass recordBuildFailure = Pass.Builder.create(scope, "RecordBuildFailure")
                .parameters(buildError)
                .resultPath(ERROR)
                .build();
        recordBuildFailure.next(cleanup.entry());

        Choice buildStatus = Choice.Builder.create(scope, "BuildStatus?").build()
                .when(Condition.stringEquals("$.build.Status", "RUNNING"),
                        Fail.Builder.create(scope, "BuildStillRunning")
                                .error("BuildStillRunning")
                                .cause("the build is still running; its own cleanup will run when it ends")
                                .build())
                .when(Condition.or(
                                Condition.stringEquals("$.build.Status", "SUCCEEDED"),
                                Condition.and(
                                        Condition.stringEquals("$.build.Status", "FAILED"),
                                        Condition.isPresent("$.build.Error"),
                                        Condition.stringEquals("$.build.Error", ErrorName.CleanupFailed.name()))),
                        cleanup.entry())
                .otherwise(recordBuildFailure);

        // keepResources: true asked for everything to stay for debugging; the janitor must not undo that
        Pass readBuildInput = Pass.Builder.create(scope, "ReadBuildInput")
                .parameters(Map.of("input", JsonPath.stringToJson(JsonPath.stringAt("$.build.Input"))))
                .resultPath(BUILD_INPUT)
                .build();
        Choice keptOnRequest = Choice.Builder.create(scope, "BuildKeptResources?").build()
                .when(Condition.and(
                                Condition.isPresent(BUILD_INPUT + ".input.keepResources"),
                                Condition.isBoolean(BUILD_INPUT + ".input.keepResources"),
                                Condition.booleanEquals(BUILD_INPUT + ".input.keepResources", true)),
                        Succeed.Builder.create(scope, "ResourcesKeptOnRequest")
                                .comment("the build asked for keepResources: nothing is deleted")
                                .build())
                .otherwise(buildStatus);

        cleanup.then(cleanup.completedChoice(List.of(describeStep),
                Succeed.Builder.create(scope, "CleanupSucceeded").build(),
                cleanupFailed(scope)));
        readBuildInput.next(keptOnRequest);
        // DescribeExecution leaves the input out when it is redacted: then nothing was asked to be kept
        Choice inputKnown = Choice.Builder.create(scope, "BuildInputKnown?").build()
                .when(Condition.and(Condition.isPresent("$.build.Input"), Condition.isString("$.build.Input")),
                        readBuildInput)
                .otherwise(buildStatus);
        return prepare.next(describeBuild).next(inputKnown);
    }

    /**
     * How the build ended decides whether its image is garbage. The execution ARN is the build state machine's
     * ARN with {@code stateMachine} replaced by {@code execution}, plus the build id.
     */
    private CallAwsService describeBuildExecution(Construct scope) {
        Stack stack = Stack.of(this);
        String executionPrefix = "arn:" + stack.getPartition() + ":states:" + stack.getRegion() + ":"
                + stack.getAccount() + ":execution:" + build.getStateMachineName() + ":";
        CallAwsService describe = CallAwsService.Builder.create(scope, "DescribeBuildExecution")
                .service("sfn")
                .action("describeExecution")
                .iamAction("states:DescribeExecution")
                .iamResources(List.of(executionPrefix + "*"))
                .parameters(Map.of("ExecutionArn",
                        JsonPath.format(executionPrefix + "{}", JsonPath.stringAt("$.config.buildId"))))
                // the whole response: Error is only there when the build failed
                .resultPath("$.build")
                .build();
        describe.addRetry(RetryProps.builder()
                // throttling and 5xx of an SDK integration surface as the service's generic exception
                .errors(List.of("Sfn.SfnException"))
                .interval(Duration.seconds(2))
                .backoffRate(2)
                .maxAttempts(5)
                .maxDelay(Duration.seconds(30))
                .jitterStrategy(JitterType.FULL)
                .build());
        return describe;
    }

    /**
     * The recorded cleanup errors become the cause. The text is made by a Pass first: a Fail's CausePath may
     * hold an intrinsic function on AWS, but aws-local-stepfunctions, which runs this definition in the tests,
     * only resolves a plain path there.
     */
    private static IChainable cleanupFailed(Construct scope) {
        return Pass.Builder.create(scope, "DescribeCleanupErrors")
                .parameters(Map.of("cause", JsonPath.jsonToString(JsonPath.objectAt(CleanupChain.ERRORS))))
                .resultPath("$.cleanupFailure")
                .build()
                .next(Fail.Builder.create(scope, "CleanupIncomplete")
                        .error(ErrorName.CleanupFailed.name())
                        .causePath("$.cleanupFailure.cause")
                        .build());
    }

    private static LogOptions allEvents(ILogGroup logGroup) {
        return LogOptions.builder()
                .destination(logGroup)
                .level(LogLevel.ALL)
                .includeExecutionData(true)
                .build();
    }

    private static void requireFunctions(Map<String, IFunction> functions) {
        List<String> missing = new ArrayList<>();
        for (String handler : Handlers.BUILD) {
            if (functions.get(handler) == null) {
                missing.add(handler);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("BuildWorkflow needs a function for each of " + missing);
        }
    }
}
