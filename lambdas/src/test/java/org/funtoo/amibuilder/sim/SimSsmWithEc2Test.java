package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileSpecification;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;

/** SSM and EC2 of one simulated account together, without seams: the agent follows the real instance. */
class SimSsmWithEc2Test {
    private final SimEc2Fixture fx = new SimEc2Fixture();
    private final SimSsm ssm = fx.aws.ssm();

    private String pingStatus(String instanceId) {
        var info = ssm.describeInstanceInformation(b -> b.filters(InstanceInformationStringFilter.builder()
                .key("InstanceIds").values(instanceId).build())).instanceInformationList();
        return info.isEmpty() ? "absent" : info.get(0).pingStatusAsString();
    }

    @Test
    void agentOfARealInstanceComesOnlineFortySecondsAfterItRuns() {
        String id = fx.network().routed().launchHelper().instanceId();

        fx.advance(Duration.ofSeconds(30)); // running now
        assertEquals("absent", pingStatus(id));
        fx.advance(Duration.ofSeconds(39));
        assertEquals("absent", pingStatus(id));
        fx.advance(Duration.ofSeconds(1));
        assertEquals("Online", pingStatus(id));
    }

    @Test
    void sendCommandToAPendingInstanceFailsWithInvalidInstanceId() {
        ssm.registerDocument(SsmFixtures.DOCUMENT, SsmFixtures.BOOTSTRAP_DOCUMENT);
        String id = fx.network().launchHelper().instanceId();

        assertThrows(InvalidInstanceIdException.class, () -> ssm.sendCommand(b -> b
                .documentName(SsmFixtures.DOCUMENT).instanceIds(id)
                .parameters(Map.of("buildId", List.of("b"), "volumeId", List.of("vol-0123456789abcdef0")))));
    }

    @Test
    void sendCommandRecordsTheInstanceWithItsTagsForTheIamCheck() {
        ssm.registerDocument(SsmFixtures.DOCUMENT, SsmFixtures.BOOTSTRAP_DOCUMENT);
        String id = fx.network().routed().launchHelper().instanceId();
        fx.advance(Duration.ofSeconds(70));

        fx.aws.as("SendBootstrapCommand", () -> ssm.sendCommand(b -> b
                .documentName(SsmFixtures.DOCUMENT).instanceIds(id)
                .parameters(Map.of("buildId", List.of("b"), "volumeId", List.of("vol-0123456789abcdef0")))));

        CallLog.Call call = fx.aws.calls().matching(c -> c.operation().equals("SendCommand")).get(0);
        assertEquals("SendBootstrapCommand", call.caller());
        CallLog.Touched instance = call.resources().stream().filter(t -> t.arn().endsWith(":instance/" + id))
                .findFirst().orElseThrow();
        assertEquals("true", instance.tags().get(SimAws.MANAGED_TAG));
        assertTrue(call.resources().stream().anyMatch(t -> t.arn().contains(":document/" + SsmFixtures.DOCUMENT)));
    }

    // The agent registers only with an instance profile, from an image that has it, and with a way to the SSM
    // endpoints: https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-managed-nodes.html

    @Test
    void agentWithoutARouteToTheInternetNeverComesOnline() {
        String id = fx.network().launchHelper().instanceId();

        fx.advance(Duration.ofMinutes(30));

        assertEquals("absent", pingStatus(id));
    }

    @Test
    void agentWithoutAnInstanceProfileNeverComesOnline() {
        var net = fx.network().routed();
        String id = fx.ec2.runInstances(fx.helperLaunch(net.subnetId, net.groupId)
                .iamInstanceProfile((IamInstanceProfileSpecification) null).build())
                .instances().get(0).instanceId();

        fx.advance(Duration.ofMinutes(30));

        assertEquals("absent", pingStatus(id));
    }

    @Test
    void anImageWithoutTheAgentIsReasonEnoughAndNamedFirst() {
        // An instance of a registered image has no agent (SimEc2ImagesTest); here the rule that keeps it offline.
        var facts = new SimEc2.InstanceFacts("i-0123456789abcdef0", "ami-0123456789abcdef0",
                software.amazon.awssdk.services.ec2.model.InstanceStateName.RUNNING, false, null, false);

        assertEquals("its image ami-0123456789abcdef0 has no SSM agent",
                SimSsm.whyAgentCannotRegister(facts).orElseThrow());
    }
}
