package org.funtoo.amibuilder.lambdas.smoketest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.BootBehaviour;
import org.junit.jupiter.api.Test;

class CheckTestInstanceStatusHandlerTest {
    private static final String LOOP = "WaitForTestInstanceStatus";
    private static final String PANIC = "[    3.100000] VFS: Cannot open root device \"UUID=1234\" or unknown-block(0,0)\n"
            + "[    3.100001] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)";
    private final Fixture f = new Fixture();
    private final CheckTestInstanceStatusHandler handler = new CheckTestInstanceStatusHandler(f.deps());

    @Test
    void waitsWhilePendingAndInitializingThenIsDoneWhenBothChecksAreOk() {
        Map<String, Object> resources = f.testInstanceLaunched();
        Map<String, Object> poll = check(resources, Map.of());
        Expect.waiting(poll, "pending");

        f.aws.clock().advance(f.aws.timings().instancePending);
        poll = check(resources, poll);
        Expect.waiting(poll, "instance status initializing, system status initializing");
        assertEquals(30L, poll.get("waitSeconds"));

        f.aws.clock().advance(f.aws.timings().statusChecksOk);
        Expect.done(check(resources, poll), "ok");
    }

    @Test
    void impairedInstanceCheckFailsTheSmokeTestWithTheConsoleTail() {
        f.aws.ec2().defaultBoot(BootBehaviour.failsToBoot(PANIC));
        Map<String, Object> resources = f.testInstanceLaunched();
        f.aws.clock().advance(f.aws.timings().instancePending.plus(f.aws.timings().statusChecksOk));

        BuildFailure failure = Expect.named(ErrorName.SmokeTestFailed, "failed its status checks (instance status"
                + " impaired, system status ok)", () -> check(resources, Map.of()));
        assertTrue(failure.getMessage().contains("Kernel panic - not syncing"), failure.getMessage());
    }

    @Test
    void failingStatusCheckOfThisInstanceAloneFailsTheSmokeTest() {
        f.aws.ec2().defaultBoot(BootBehaviour.boots(Fixture.FIRST_BOOT_CONSOLE));
        Map<String, Object> resources = f.testInstanceLaunched();
        f.aws.ec2().failStatusChecks(Fixture.id(resources, Resources.TEST_INSTANCE_ID));
        f.aws.clock().advance(f.aws.timings().instancePending.plus(f.aws.timings().statusChecksOk));

        Expect.named(ErrorName.SmokeTestFailed, "impaired", () -> check(resources, Map.of()));
    }

    @Test
    void instanceThatShutsItselfDownFailsTheSmokeTest() {
        Map<String, Object> resources = f.testInstanceLaunched();
        f.aws.clock().advance(f.aws.timings().instancePending);
        f.aws.ec2().powerOffFromInside(Fixture.id(resources, Resources.TEST_INSTANCE_ID));

        Expect.named(ErrorName.SmokeTestFailed, "instead of passing its status checks",
                () -> check(resources, Map.of()));
    }

    @Test
    void checksThatNeverReportByTheDeadlineFailTheSmokeTestInsteadOfTimingOut() {
        f.aws.timings().statusChecksOk = Duration.ofHours(2);
        Map<String, Object> resources = f.testInstanceLaunched();
        f.aws.clock().advance(f.aws.timings().instancePending);
        Map<String, Object> poll = check(resources, Map.of());
        assertFalse((Boolean) poll.get("timedOut"));

        f.aws.clock().advance(Duration.ofSeconds(1801));

        Expect.named(ErrorName.SmokeTestFailed, "did not pass its status checks within 1801 s",
                () -> check(resources, poll));
    }

    @Test
    void unreadableConsoleDoesNotHideTheVerdict() {
        f.aws.ec2().defaultBoot(BootBehaviour.failsToBoot(PANIC));
        Map<String, Object> resources = f.testInstanceLaunched();
        f.aws.clock().advance(f.aws.timings().instancePending.plus(f.aws.timings().statusChecksOk));
        f.aws.faults().failNth("ec2", "GetConsoleOutput", 1, "RequestLimitExceeded");

        Expect.named(ErrorName.SmokeTestFailed, "(console output unavailable: RequestLimitExceeded)",
                () -> check(resources, Map.of()));
    }

    private Map<String, Object> check(Map<String, Object> resources, Map<String, Object> poll) {
        return handler.handleRequest(f.check(resources, poll, LOOP), null);
    }
}
