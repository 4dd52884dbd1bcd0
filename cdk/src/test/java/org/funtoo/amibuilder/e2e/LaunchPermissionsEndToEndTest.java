package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.funtoo.amibuilder.sim.CallLog;
import org.funtoo.amibuilder.sim.SimAws;
import org.funtoo.amibuilder.sim.SimTimings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The launches against the stack's own IAM, replayed per created resource as EC2 authorizes them: every resource
 * RunInstances creates (instance, volumes, network interface, spot request) is checked with the tags of its own
 * TagSpecification, so a launch that tags only the instance and its volumes is denied its network interface.
 */
class LaunchPermissionsEndToEndTest {
    private final OfflineBuild account = new OfflineBuild(SimTimings.realistic());

    @AfterEach
    void close() {
        account.close();
    }

    private static boolean runInstances(CallLog.Call c) {
        return c.action().equals("ec2:RunInstances");
    }

    @Test
    void launchThatTagsOnlyTheInstanceAndItsVolumesIsDeniedItsNetworkInterface() {
        ExistingNetwork network = ExistingNetwork.create(account.aws.ec2());
        String launcher = account.functionOf("LaunchHelperInstanceHandler");

        account.aws.as(launcher, () -> account.aws.ec2().runInstances(b -> b
                .imageId(SimAws.AL2023_X86_64_IMAGE_ID).instanceType("t3.small").minCount(1).maxCount(1)
                .subnetId(network.subnetId()).securityGroupIds(network.securityGroupId())
                .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                .tagSpecifications(builderTags(ResourceType.INSTANCE), builderTags(ResourceType.VOLUME))));

        List<String> denials = account.iamDenials(LaunchPermissionsEndToEndTest::runInstances);
        assertEquals(1, denials.size(), () -> String.join("\n", denials));
        assertTrue(denials.get(0).contains("ec2:RunInstances") && denials.get(0).contains(":network-interface/eni-"),
                denials.get(0));
    }

    @Test
    void defaultBuildTagsEveryResourceItsLaunchesCreateAndIsAllowedEachOfThem() {
        LocalExecution.Result r = account.build("build-launch", "{}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        List<CallLog.Call> launches = account.aws.calls().matching(c -> runInstances(c) && c.succeeded());
        assertEquals(2, launches.size(), "the helper and the smoke test's instance");
        for (CallLog.Call launch : launches) {
            assertEquals(Set.of("instance", "volume", "network-interface"), launch.requestTagsByType().keySet());
            launch.requestTagsByType().values().forEach(tags -> assertEquals("build-launch",
                    tags.get(SimAws.BUILD_ID_TAG)));
        }
        assertEquals(List.of(), account.iamDenials(LaunchPermissionsEndToEndTest::runInstances));
        account.assertEveryCallAllowed("default build");
    }

    @Test
    void spotHelperTagsItsSpotRequestAndIsAllowedIt() {
        LocalExecution.Result r = account.build("build-spot", "{\"helper\": {\"spot\": true}}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        CallLog.Call helper = account.aws.calls().matching(c -> runInstances(c) && c.succeeded()).get(0);
        assertEquals(Set.of("instance", "volume", "network-interface", "spot-instances-request"),
                helper.requestTagsByType().keySet());
        assertTrue(helper.resources().stream().anyMatch(t -> t.arn().contains(":spot-instances-request/sir-")),
                "the simulated launch created a spot request");
        assertEquals(List.of(), account.iamDenials(LaunchPermissionsEndToEndTest::runInstances));
        account.assertEveryCallAllowed("spot build");
    }

    private static TagSpecification builderTags(ResourceType type) {
        return TagSpecification.builder().resourceType(type).tags(
                Tag.builder().key(SimAws.BUILD_ID_TAG).value("b1").build(),
                Tag.builder().key(SimAws.MANAGED_TAG).value("true").build()).build();
    }
}
