package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
        String id = fx.network().launchHelper().instanceId();

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
        String id = fx.network().launchHelper().instanceId();
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
}
