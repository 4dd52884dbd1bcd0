package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterType;

class SimClockTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void clockStartsAtTheFixedEpochAndOnlyMovesWhenAdvanced() {
        SimClock clock = new SimClock();
        assertEquals(START, clock.instant());
        assertEquals(START, clock.instant());

        clock.advance(Duration.ofMinutes(12));
        clock.advanceSeconds(30);
        assertEquals(START.plus(Duration.ofMinutes(12)).plusSeconds(30), clock.instant());
        assertEquals(START.plusSeconds(750).toEpochMilli(), clock.millis());
        assertEquals(ZoneOffset.UTC, clock.getZone());
    }

    @Test
    void advancingBackwardsIsRefusedAndLeavesTheTimeAlone() {
        SimClock clock = new SimClock(START);
        clock.advance(Duration.ZERO);

        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> clock.advanceSeconds(-5));
        assertEquals(START, clock.instant());
    }

    @Test
    void simulatedServicesStampCallsAndResourcesWithTheSimulatedTime() {
        SimAws aws = new SimAws(new SimClock(START), SimTimings.fast());
        aws.clock().advance(Duration.ofHours(2));

        aws.ssm().putParameter(r -> r.name("/funtoo-ami-builder/t").value("v").type(ParameterType.STRING));
        Instant expected = START.plus(Duration.ofHours(2));
        assertEquals(expected, aws.calls().all().get(0).at());
        assertEquals(expected, aws.ssm().getParameter(r -> r.name("/funtoo-ami-builder/t")).parameter()
                .lastModifiedDate());
    }

    @Test
    void fastTimingsAreShorterThanRealisticOnes() {
        SimTimings fast = SimTimings.fast();
        SimTimings realistic = SimTimings.realistic();
        assertEquals(Duration.ofSeconds(40), realistic.ssmAgentOnline);
        assertEquals(Duration.ofMinutes(12), realistic.command);
        assertTrue(fast.command.compareTo(realistic.command) < 0);
        assertTrue(fast.ssmAgentOnline.compareTo(realistic.ssmAgentOnline) < 0);
    }
}
