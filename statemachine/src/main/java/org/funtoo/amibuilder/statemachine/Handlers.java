package org.funtoo.amibuilder.statemachine;

import java.util.ArrayList;
import java.util.List;

/**
 * The Lambda handlers the workflows call, by class name. The build and cleanup state machines name each Task state
 * after its handler without the {@code Handler} suffix ({@code CreateVpcHandler} runs as state {@code CreateVpc}),
 * so operators, tests and the local runner can go from a state to its class and back.
 */
public final class Handlers {
    public static final String PACKAGE = "org.funtoo.amibuilder.lambdas.handlers";

    public static final String VALIDATE_INPUT = "ValidateInputHandler";
    public static final String RESOLVE_HELPER_IMAGE = "ResolveHelperImageHandler";
    public static final String CHECK_IMAGE_NAME = "CheckImageNameHandler";
    public static final String SELECT_AVAILABILITY_ZONE = "SelectAvailabilityZoneHandler";
    public static final String CHECK_EXISTING_NETWORK = "CheckExistingNetworkHandler";
    public static final String CREATE_VPC = "CreateVpcHandler";
    public static final String CREATE_SUBNET = "CreateSubnetHandler";
    public static final String CREATE_INTERNET_GATEWAY = "CreateInternetGatewayHandler";
    public static final String CREATE_ROUTE_TABLE = "CreateRouteTableHandler";
    public static final String CREATE_SECURITY_GROUP = "CreateSecurityGroupHandler";
    public static final String LAUNCH_HELPER_INSTANCE = "LaunchHelperInstanceHandler";
    public static final String DESCRIBE_HELPER_INSTANCE = "DescribeHelperInstanceHandler";
    public static final String CHECK_SSM_AGENT = "CheckSsmAgentHandler";
    public static final String SEND_BOOTSTRAP_COMMAND = "SendBootstrapCommandHandler";
    public static final String GET_BOOTSTRAP_COMMAND = "GetBootstrapCommandHandler";
    public static final String CREATE_SNAPSHOT = "CreateSnapshotHandler";
    public static final String DESCRIBE_SNAPSHOT = "DescribeSnapshotHandler";
    public static final String REGISTER_IMAGE = "RegisterImageHandler";
    public static final String DESCRIBE_IMAGE = "DescribeImageHandler";
    public static final String TERMINATE_INSTANCES = "TerminateInstancesHandler";
    public static final String CHECK_INSTANCES_TERMINATED = "CheckInstancesTerminatedHandler";
    public static final String DELETE_VOLUMES = "DeleteVolumesHandler";
    public static final String DELETE_SECURITY_GROUP = "DeleteSecurityGroupHandler";
    public static final String DELETE_INTERNET_GATEWAY = "DeleteInternetGatewayHandler";
    public static final String DELETE_SUBNET = "DeleteSubnetHandler";
    public static final String DELETE_ROUTE_TABLE = "DeleteRouteTableHandler";
    public static final String DELETE_VPC = "DeleteVpcHandler";
    public static final String DELETE_FAILED_IMAGE = "DeleteFailedImageHandler";
    public static final String SUMMARIZE_BUILD = "SummarizeBuildHandler";
    public static final String LAUNCH_TEST_INSTANCE = "LaunchTestInstanceHandler";
    public static final String CHECK_TEST_INSTANCE_STATUS = "CheckTestInstanceStatusHandler";
    public static final String CHECK_FIRST_BOOT_MARKER = "CheckFirstBootMarkerHandler";
    public static final String TERMINATE_TEST_INSTANCE = "TerminateTestInstanceHandler";
    public static final String CHECK_TEST_INSTANCE_TERMINATED = "CheckTestInstanceTerminatedHandler";
    public static final String COPY_IMAGE = "CopyImageHandler";
    public static final String CHECK_IMAGE_COPIES = "CheckImageCopiesHandler";
    public static final String SHARE_IMAGE = "ShareImageHandler";
    public static final String DEPRECATE_IMAGE = "DeprecateImageHandler";
    public static final String PUBLISH_PARAMETER = "PublishParameterHandler";
    public static final String APPLY_RETENTION = "ApplyRetentionHandler";
    public static final String DELETE_FAILED_IMAGE_COPIES = "DeleteFailedImageCopiesHandler";
    public static final String NOTIFY_SUCCESS = "NotifySuccessHandler";
    public static final String NOTIFY_FAILURE = "NotifyFailureHandler";

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
                CREATE_SECURITY_GROUP, LAUNCH_HELPER_INSTANCE, DESCRIBE_HELPER_INSTANCE, CHECK_SSM_AGENT,
                SEND_BOOTSTRAP_COMMAND, GET_BOOTSTRAP_COMMAND, CREATE_SNAPSHOT, DESCRIBE_SNAPSHOT, REGISTER_IMAGE,
                DESCRIBE_IMAGE));
        all.addAll(SMOKE_TEST);
        all.addAll(PUBLISH);
        all.addAll(CLEANUP);
        all.addAll(List.of(NOTIFY_SUCCESS, NOTIFY_FAILURE, SUMMARIZE_BUILD));
        return List.copyOf(all);
    }

    private Handlers() {
    }

    /** The Lambda {@code Handler} setting of a handler class: {@code package.Class::handleRequest}. */
    public static String lambdaHandler(String handlerName) {
        return PACKAGE + "." + handlerName + "::handleRequest";
    }

    /** The Task state that runs a handler: its class name without the {@code Handler} suffix. */
    public static String stateName(String handlerName) {
        if (!handlerName.endsWith("Handler")) {
            throw new IllegalArgumentException("not a handler class name: " + handlerName);
        }
        return handlerName.substring(0, handlerName.length() - "Handler".length());
    }
}
