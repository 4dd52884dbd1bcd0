package org.funtoo.amibuilder.statemachine;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.bootstrap.GetBootstrapCommandHandler;
import org.funtoo.amibuilder.lambdas.bootstrap.SendBootstrapCommandHandler;
import org.funtoo.amibuilder.lambdas.helper.CheckHelperInstanceRunningHandler;
import org.funtoo.amibuilder.lambdas.helper.CheckInstancesTerminatedHandler;
import org.funtoo.amibuilder.lambdas.helper.CheckSsmAgentHandler;
import org.funtoo.amibuilder.lambdas.helper.DeleteVolumesHandler;
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import org.funtoo.amibuilder.lambdas.helper.TerminateInstancesHandler;
import org.funtoo.amibuilder.lambdas.image.CheckImageAvailableHandler;
import org.funtoo.amibuilder.lambdas.image.CheckSnapshotCompletedHandler;
import org.funtoo.amibuilder.lambdas.image.CreateSnapshotHandler;
import org.funtoo.amibuilder.lambdas.image.DeleteFailedImageHandler;
import org.funtoo.amibuilder.lambdas.image.RegisterImageHandler;
import org.funtoo.amibuilder.lambdas.input.CheckImageNameHandler;
import org.funtoo.amibuilder.lambdas.input.ResolveHelperImageHandler;
import org.funtoo.amibuilder.lambdas.input.SelectAvailabilityZoneHandler;
import org.funtoo.amibuilder.lambdas.input.ValidateInputHandler;
import org.funtoo.amibuilder.lambdas.janitor.JanitorSweepHandler;
import org.funtoo.amibuilder.lambdas.network.CheckExistingNetworkHandler;
import org.funtoo.amibuilder.lambdas.network.CreateInternetGatewayHandler;
import org.funtoo.amibuilder.lambdas.network.CreateRouteTableHandler;
import org.funtoo.amibuilder.lambdas.network.CreateSecurityGroupHandler;
import org.funtoo.amibuilder.lambdas.network.CreateSubnetHandler;
import org.funtoo.amibuilder.lambdas.network.CreateVpcHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteInternetGatewayHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteRouteTableHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteSecurityGroupHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteSubnetHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteVpcHandler;
import org.funtoo.amibuilder.lambdas.notify.NotifyFailureHandler;
import org.funtoo.amibuilder.lambdas.notify.NotifySuccessHandler;
import org.funtoo.amibuilder.lambdas.notify.SummarizeBuildHandler;
import org.funtoo.amibuilder.lambdas.publish.ApplyRetentionHandler;
import org.funtoo.amibuilder.lambdas.publish.CheckImageCopiesHandler;
import org.funtoo.amibuilder.lambdas.publish.CopyImageHandler;
import org.funtoo.amibuilder.lambdas.publish.DeleteFailedImageCopiesHandler;
import org.funtoo.amibuilder.lambdas.publish.DeprecateImageHandler;
import org.funtoo.amibuilder.lambdas.publish.PublishParameterHandler;
import org.funtoo.amibuilder.lambdas.publish.ShareImageHandler;
import org.funtoo.amibuilder.lambdas.smoketest.CheckFirstBootMarkerHandler;
import org.funtoo.amibuilder.lambdas.smoketest.CheckTestInstanceStatusHandler;
import org.funtoo.amibuilder.lambdas.smoketest.CheckTestInstanceTerminatedHandler;
import org.funtoo.amibuilder.lambdas.smoketest.LaunchTestInstanceHandler;
import org.funtoo.amibuilder.lambdas.smoketest.TerminateTestInstanceHandler;

/**
 * The Lambda handlers the workflows call, by class name. The build and cleanup state machines name each Task state
 * after its handler without the {@code Handler} suffix ({@code CreateVpcHandler} runs as state {@code CreateVpc}),
 * so operators, tests and the local runner can go from a state to its class and back. Each name is taken from the
 * class itself ({@code CreateVpcHandler.class}), so a handler moved to another package or renamed changes the
 * functions' {@code Handler} setting and the state names with it, and one removed fails the compilation here.
 */
public final class Handlers {
    /** Every handler class by its simple name; filled as the constants below are initialized. */
    private static final Map<String, Class<? extends RequestHandler<?, ?>>> CLASSES = new LinkedHashMap<>();

    public static final String VALIDATE_INPUT = name(ValidateInputHandler.class);
    public static final String RESOLVE_HELPER_IMAGE = name(ResolveHelperImageHandler.class);
    public static final String CHECK_IMAGE_NAME = name(CheckImageNameHandler.class);
    public static final String SELECT_AVAILABILITY_ZONE = name(SelectAvailabilityZoneHandler.class);
    public static final String CHECK_EXISTING_NETWORK = name(CheckExistingNetworkHandler.class);
    public static final String CREATE_VPC = name(CreateVpcHandler.class);
    public static final String CREATE_SUBNET = name(CreateSubnetHandler.class);
    public static final String CREATE_INTERNET_GATEWAY = name(CreateInternetGatewayHandler.class);
    public static final String CREATE_ROUTE_TABLE = name(CreateRouteTableHandler.class);
    public static final String CREATE_SECURITY_GROUP = name(CreateSecurityGroupHandler.class);
    public static final String LAUNCH_HELPER_INSTANCE = name(LaunchHelperInstanceHandler.class);
    public static final String CHECK_HELPER_INSTANCE_RUNNING = name(CheckHelperInstanceRunningHandler.class);
    public static final String CHECK_SSM_AGENT = name(CheckSsmAgentHandler.class);
    public static final String SEND_BOOTSTRAP_COMMAND = name(SendBootstrapCommandHandler.class);
    public static final String GET_BOOTSTRAP_COMMAND = name(GetBootstrapCommandHandler.class);
    public static final String CREATE_SNAPSHOT = name(CreateSnapshotHandler.class);
    public static final String CHECK_SNAPSHOT_COMPLETED = name(CheckSnapshotCompletedHandler.class);
    public static final String REGISTER_IMAGE = name(RegisterImageHandler.class);
    public static final String CHECK_IMAGE_AVAILABLE = name(CheckImageAvailableHandler.class);
    public static final String TERMINATE_INSTANCES = name(TerminateInstancesHandler.class);
    public static final String CHECK_INSTANCES_TERMINATED = name(CheckInstancesTerminatedHandler.class);
    public static final String DELETE_VOLUMES = name(DeleteVolumesHandler.class);
    public static final String DELETE_SECURITY_GROUP = name(DeleteSecurityGroupHandler.class);
    public static final String DELETE_INTERNET_GATEWAY = name(DeleteInternetGatewayHandler.class);
    public static final String DELETE_SUBNET = name(DeleteSubnetHandler.class);
    public static final String DELETE_ROUTE_TABLE = name(DeleteRouteTableHandler.class);
    public static final String DELETE_VPC = name(DeleteVpcHandler.class);
    public static final String DELETE_FAILED_IMAGE = name(DeleteFailedImageHandler.class);
    public static final String SUMMARIZE_BUILD = name(SummarizeBuildHandler.class);
    public static final String LAUNCH_TEST_INSTANCE = name(LaunchTestInstanceHandler.class);
    public static final String CHECK_TEST_INSTANCE_STATUS = name(CheckTestInstanceStatusHandler.class);
    public static final String CHECK_FIRST_BOOT_MARKER = name(CheckFirstBootMarkerHandler.class);
    public static final String TERMINATE_TEST_INSTANCE = name(TerminateTestInstanceHandler.class);
    public static final String CHECK_TEST_INSTANCE_TERMINATED = name(CheckTestInstanceTerminatedHandler.class);
    public static final String COPY_IMAGE = name(CopyImageHandler.class);
    public static final String CHECK_IMAGE_COPIES = name(CheckImageCopiesHandler.class);
    public static final String SHARE_IMAGE = name(ShareImageHandler.class);
    public static final String DEPRECATE_IMAGE = name(DeprecateImageHandler.class);
    public static final String PUBLISH_PARAMETER = name(PublishParameterHandler.class);
    public static final String APPLY_RETENTION = name(ApplyRetentionHandler.class);
    public static final String DELETE_FAILED_IMAGE_COPIES = name(DeleteFailedImageCopiesHandler.class);
    public static final String NOTIFY_SUCCESS = name(NotifySuccessHandler.class);
    public static final String NOTIFY_FAILURE = name(NotifyFailureHandler.class);
    /** Not a Task state: the janitor's daily sweep, invoked by an EventBridge schedule. */
    public static final String JANITOR_SWEEP = name(JanitorSweepHandler.class);

    /** The smoke test of a registered image, in workflow order. */
    public static final List<String> SMOKE_TEST = List.of(
            LAUNCH_TEST_INSTANCE, CHECK_TEST_INSTANCE_STATUS, CHECK_FIRST_BOOT_MARKER, TERMINATE_TEST_INSTANCE,
            CHECK_TEST_INSTANCE_TERMINATED);

    /** Publishing a tested image, in workflow order. */
    public static final List<String> PUBLISH = List.of(
            COPY_IMAGE, CHECK_IMAGE_COPIES, SHARE_IMAGE, DEPRECATE_IMAGE, PUBLISH_PARAMETER, APPLY_RETENTION);

    /** The handlers of the cleanup chain, in teardown order (ARCHITECTURE.md, "The teardown"). */
    public static final List<String> CLEANUP = List.of(
            TERMINATE_INSTANCES, CHECK_INSTANCES_TERMINATED, DELETE_VOLUMES, DELETE_SECURITY_GROUP,
            DELETE_INTERNET_GATEWAY, DELETE_SUBNET, DELETE_ROUTE_TABLE, DELETE_VPC, DELETE_FAILED_IMAGE,
            DELETE_FAILED_IMAGE_COPIES);

    /** Every handler the build state machine calls. */
    public static final List<String> BUILD = build();

    private static List<String> build() {
        List<String> all = new ArrayList<>(List.of(
                VALIDATE_INPUT, RESOLVE_HELPER_IMAGE, CHECK_IMAGE_NAME, SELECT_AVAILABILITY_ZONE,
                CHECK_EXISTING_NETWORK, CREATE_VPC, CREATE_SUBNET, CREATE_INTERNET_GATEWAY, CREATE_ROUTE_TABLE,
                CREATE_SECURITY_GROUP, LAUNCH_HELPER_INSTANCE, CHECK_HELPER_INSTANCE_RUNNING, CHECK_SSM_AGENT,
                SEND_BOOTSTRAP_COMMAND, GET_BOOTSTRAP_COMMAND, CREATE_SNAPSHOT, CHECK_SNAPSHOT_COMPLETED, REGISTER_IMAGE,
                CHECK_IMAGE_AVAILABLE));
        all.addAll(SMOKE_TEST);
        all.addAll(PUBLISH);
        all.addAll(CLEANUP);
        all.addAll(List.of(NOTIFY_SUCCESS, NOTIFY_FAILURE, SUMMARIZE_BUILD));
        return List.copyOf(all);
    }

    private Handlers() {
    }

    private static String name(Class<? extends RequestHandler<?, ?>> type) {
        CLASSES.put(type.getSimpleName(), type);
        return type.getSimpleName();
    }

    /** The handler class of a handler name. */
    public static Class<? extends RequestHandler<?, ?>> handlerClass(String handlerName) {
        Class<? extends RequestHandler<?, ?>> type = CLASSES.get(handlerName);
        if (type == null) {
            throw new IllegalArgumentException("not a handler of the workflows: " + handlerName);
        }
        return type;
    }

    /** The Lambda {@code Handler} setting of a handler class: {@code package.Class::handleRequest}. */
    public static String lambdaHandler(String handlerName) {
        return handlerClass(handlerName).getName() + "::handleRequest";
    }

    /** The Task state that runs a handler: its class name without the {@code Handler} suffix. */
    public static String stateName(String handlerName) {
        if (!handlerName.endsWith("Handler")) {
            throw new IllegalArgumentException("not a handler class name: " + handlerName);
        }
        return handlerName.substring(0, handlerName.length() - "Handler".length());
    }
}
