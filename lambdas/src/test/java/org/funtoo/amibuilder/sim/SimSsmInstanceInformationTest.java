package org.funtoo.amibuilder.sim;

import static org.funtoo.amibuilder.sim.SsmFixtures.INSTANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationFilterKey;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.SsmException;

class SimSsmInstanceInformationTest {
    private final SimAws aws = new SimAws();
    private final SsmFixtures.Instances instances = new SsmFixtures.Instances();
    private final SimSsm ssm = SsmFixtures.ssm(aws, instances);

    /** The handler's question: is the agent of this instance registered, and how? (key "InstanceIds") */
    private List<InstanceInformation> describe(String instanceId) {
        return ssm.describeInstanceInformation(r -> r.filters(f -> f.key("InstanceIds").values(instanceId)))
                .instanceInformationList();
    }

    @Test
    void agentComesOnlineFortySecondsAfterInstanceRuns() {
        Instant launchedRunning = aws.clock().instant();
        instances.running(INSTANCE, launchedRunning);

        aws.clock().advanceSeconds(39);
        assertTrue(describe(INSTANCE).isEmpty());
        aws.clock().advanceSeconds(1);
        List<InstanceInformation> online = describe(INSTANCE);
        assertEquals(1, online.size());
        assertEquals(PingStatus.ONLINE, online.get(0).pingStatus());
        assertEquals(launchedRunning.plusSeconds(40), online.get(0).lastPingDateTime());
        assertEquals("Linux", online.get(0).platformTypeAsString());
    }

    @Test
    void agentNeverRegistersWhenTheTimingSaysSo() {
        aws.timings().ssmAgentOnline = null;
        instances.running(INSTANCE, aws.clock().instant());

        aws.clock().advance(Duration.ofHours(1));
        assertTrue(describe(INSTANCE).isEmpty());
    }

    @Test
    void agentNeverRegistersOnAnInstanceMarkedWithoutAgent() {
        instances.running(INSTANCE, aws.clock().instant());
        instances.running("i-0000000000000000a", aws.clock().instant());
        ssm.agentNeverRegisters(INSTANCE);

        aws.clock().advance(Duration.ofMinutes(10));
        assertTrue(describe(INSTANCE).isEmpty());
        assertEquals(1, describe("i-0000000000000000a").size());
    }

    @Test
    void instanceThatStopsRunningShowsConnectionLost() {
        SsmFixtures.onlineInstance(aws, instances);
        Instant lastSeen = aws.clock().instant();
        assertEquals(PingStatus.ONLINE, describe(INSTANCE).get(0).pingStatus());

        instances.gone(INSTANCE);
        aws.clock().advance(Duration.ofMinutes(5));
        InstanceInformation lost = describe(INSTANCE).get(0);
        assertEquals(PingStatus.CONNECTION_LOST, lost.pingStatus());
        assertEquals(lastSeen, lost.lastPingDateTime());
        assertEquals(List.of(INSTANCE), ssm.describeInstanceInformation(r -> r.filters(f -> f.key("PingStatus")
                .values("ConnectionLost"))).instanceInformationList().stream().map(InstanceInformation::instanceId)
                .toList());
    }

    @Test
    void instanceInformationFilterListSelectsTheSameInstances() {
        SsmFixtures.onlineInstance(aws, instances);

        assertEquals(List.of(INSTANCE), ssm.describeInstanceInformation(r -> r.instanceInformationFilterList(
                f -> f.key(InstanceInformationFilterKey.INSTANCE_IDS).valueSet(INSTANCE, "i-0000000000000000a")))
                .instanceInformationList().stream().map(InstanceInformation::instanceId).toList());
    }

    @Test
    void malformedInstanceIdInTheFilterFailsAndSmallPagesAreRefused() {
        var e = assertThrows(SsmException.class, () -> describe("instance-1"));
        assertEquals("InvalidInstanceInformationFilterValue", e.awsErrorDetails().errorCode());
        var small = assertThrows(SsmException.class,
                () -> ssm.describeInstanceInformation(r -> r.maxResults(4)));
        assertEquals("ValidationException", small.awsErrorDetails().errorCode());
    }
}
