package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.funtoo.amibuilder.sim.SimTimings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole build, offline: the synthesized state machine run by an independent ASL interpreter, its tasks by the
 * real handlers against the simulated AWS (issue 5). Every scenario ends by asserting what is left in the account.
 */
class BuildWorkflowEndToEndTest {
    private final OfflineBuild account = new OfflineBuild(SimTimings.realistic());

    @AfterEach
    void checkIamAndClose() {
        IamCalls.record(account);
        account.close();
    }

    @Test
    void emptyInputBuildsInATemporaryNetworkAndLeavesOnlyTheImageItsSnapshotAndItsParameter() {
        LocalExecution.Result r = account.build("build-empty", "{}");

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause());
        assertTrue(r.output().path("imageId").asText().startsWith("ami-"), r.output().toString());
        assertEquals(List.of("image", "snapshot", "ssm-parameter"), account.leftoverTypes("build-empty"),
                "what a build delivers: the tested image and the parameter naming it");
    }

    @Test
    void invalidInputFailsAtTheFirstStateWithoutAnyAwsCall() {
        LocalExecution.Result r = account.build("build-invalid", "{\"architecture\": \"sparc\"}");

        assertEquals("FAILED", r.status());
        assertEquals("InvalidInput", r.error());
        assertTrue(r.cause().contains("architecture"), r.cause());
        assertEquals(List.of("ValidateInput"), r.statesEntered());
        assertEquals(List.of(), account.aws.calls().matching(c -> !c.caller().equals("test")),
                "no function may call AWS for an invalid input");
    }
}
