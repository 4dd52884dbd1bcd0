package org.funtoo.amibuilder.statemachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.stepfunctions.CatchProps;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.Errors;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.TaskStateBase;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The teardown, built once and used by both state machines. Each step undoes one creating step of the build, in
 * the reverse order AWS requires (ARCHITECTURE.md, "The teardown"):
 *
 * <pre>
 *   LaunchHelperInstance   → TerminateInstances, WaitForInstancesTerminated, DeleteVolumes
 *   CreateSecurityGroup    → DeleteSecurityGroup
 *   CreateInternetGateway  → DeleteInternetGateway (detach + delete)
 *   CreateSubnet           → DeleteSubnet
 *   CreateRouteTable       → DeleteRouteTable (disassociate + delete)
 *   CreateVpc              → DeleteVpc
 *   CreateSnapshot/RegisterImage → DeleteFailedImage, only when the document carries the build's error
 *   CopyImage              → DeleteFailedImageCopies, likewise (in the regions config names; from the janitor's
 *                            bare document, in every enabled region)
 * </pre>
 *
 * A step that still fails after its retries does not stop the teardown: its catch records the error under
 * {@code $.cleanupErrors.<step>} and the next step runs, because every later step may still succeed and leave less
 * behind (a failed subnet deletion does not stop the image deregistration). The same holds for the termination
 * wait running past its deadline. {@link #completedChoice} turns any recorded error into {@code CleanupFailed} at
 * the end. The steps find their targets by the build-id tag as well as by {@code resources}, so the chain also
 * works from a bare {@code {config: {buildId}}} document.
 */
final class CleanupChain {
    static final String ERRORS = "$.cleanupErrors";
    static final String BUILD_ERROR = "$.error";

    private final Construct scope;
    private final IChainable entry;
    private final Choice imageChoice;
    private final LambdaInvoke deleteFailedImage;
    private final LambdaInvoke deleteFailedImageCopies;
    private final List<String> steps;

    CleanupChain(Construct scope, WorkflowTasks tasks) {
        this.scope = scope;
        LambdaInvoke terminate = tasks.resources(Handlers.TERMINATE_INSTANCES);
        LoopSpec terminatedSpec = LoopSpec.instancesTerminated();
        WaitLoop terminated = new WaitLoop(scope, terminatedSpec, tasks);
        LambdaInvoke volumes = tasks.resources(Handlers.DELETE_VOLUMES);
        LambdaInvoke securityGroup = tasks.resources(Handlers.DELETE_SECURITY_GROUP);
        LambdaInvoke internetGateway = tasks.resources(Handlers.DELETE_INTERNET_GATEWAY);
        LambdaInvoke subnet = tasks.resources(Handlers.DELETE_SUBNET);
        LambdaInvoke routeTable = tasks.resources(Handlers.DELETE_ROUTE_TABLE);
        LambdaInvoke vpc = tasks.resources(Handlers.DELETE_VPC);
        imageChoice = Choice.Builder.create(scope, "FailedBuildImage?").build();
        deleteFailedImage = tasks.resources(Handlers.DELETE_FAILED_IMAGE);
        deleteFailedImageCopies = tasks.resources(Handlers.DELETE_FAILED_IMAGE_COPIES);

        String terminatedStep = terminatedSpec.name();
        steps = List.of(stepName(terminate), terminatedStep, stepName(volumes), stepName(securityGroup),
                stepName(internetGateway), stepName(subnet), stepName(routeTable), stepName(vpc),
                stepName(deleteFailedImage), stepName(deleteFailedImageCopies));

        continueAfter(terminate, terminated.entry());
        recordAndContinue(terminated.check(), terminatedStep, volumes);
        terminated.continueWith(volumes, Pass.Builder.create(scope, "Record" + terminatedSpec.timeoutError())
                .parameters(Map.of(
                        "Error", terminatedSpec.timeoutError(),
                        "Cause", JsonPath.jsonToString(JsonPath.objectAt(WorkflowTasks.POLL))))
                .resultPath(ERRORS + "." + terminatedStep)
                .build()
                .next(volumes));
        continueAfter(volumes, securityGroup);
        continueAfter(securityGroup, internetGateway);
        continueAfter(internetGateway, subnet);
        continueAfter(subnet, routeTable);
        continueAfter(routeTable, vpc);
        continueAfter(vpc, imageChoice);
        this.entry = terminate;
    }

    IChainable entry() {
        return entry;
    }

    /**
     * Connects the end of the chain. The image, its snapshot and its copies are deleted only when the document
     * carries the build's error ({@code $.error}): the success path keeps the AMI it delivered.
     */
    void then(IChainable next) {
        imageChoice.when(Condition.isPresent(BUILD_ERROR), deleteFailedImage).otherwise(next);
        continueAfter(deleteFailedImage, deleteFailedImageCopies);
        continueAfter(deleteFailedImageCopies, next);
    }

    /** The names under which steps record their errors, in teardown order. */
    List<String> steps() {
        return steps;
    }

    /**
     * {@code CleanupCompleted?}: any error recorded by the chain (or by {@code extraSteps}, states that record
     * under {@code $.cleanupErrors} as well) → {@code failed}; otherwise → {@code completed}.
     */
    Choice completedChoice(List<String> extraSteps, IChainable completed, IChainable failed) {
        List<Condition> recorded = new ArrayList<>();
        for (String step : extraSteps) {
            recorded.add(Condition.isPresent(ERRORS + "." + step));
        }
        for (String step : steps) {
            recorded.add(Condition.isPresent(ERRORS + "." + step));
        }
        return Choice.Builder.create(scope, "CleanupCompleted?").build()
                .when(Condition.or(recorded.toArray(Condition[]::new)), failed)
                .otherwise(completed);
    }

    private static String stepName(LambdaInvoke step) {
        return step.getNode().getId();
    }

    private static void continueAfter(LambdaInvoke step, IChainable next) {
        recordAndContinue(step, stepName(step), next);
        step.next(next);
    }

    static void recordAndContinue(TaskStateBase state, String step, IChainable next) {
        state.addCatch(next, CatchProps.builder()
                .errors(List.of(Errors.ALL))
                .resultPath(ERRORS + "." + step)
                .build());
    }
}
