package org.funtoo.amibuilder.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.funtoo.amibuilder.sim.SimTimings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A failure injected at every Task state in turn, one build per state, the list taken from the
 * synthesized definition so that a new state is covered without touching this test. On the main path the build
 * fails with the injected error and leaves nothing. A cleanup step that fails cannot delete its own resource: the
 * build then fails (CleanupFailed on the success path, its own error on the failure path) and the janitor's cleanup
 * state machine, run afterwards, leaves nothing.
 */
class FailureAtEveryTaskTest {
    private static final String INJECTED = "InjectedFailure";
    /** Publishing everything it can: the optional steps run only when the input asks for them. */
    private static final String PUBLISH_EVERYTHING = "{\"publish\":{\"copyToRegions\":[\"eu-west-1\"],"
            + "\"launchPermissionAccountIds\":[\"210987654321\"],\"deprecateAfterDays\":30,\"keepLatest\":2}}";
    private static final Set<String> OPTIONAL = Set.of("CopyImage", "CheckImageCopies", "ShareImage",
            "DeprecateImage", "ApplyRetention", "DeleteFailedImageCopies");
    /** Steps whose failure is recorded and leaves the build's outcome as it was. */
    private static final Set<String> TOLERATED = Set.of("ApplyRetention", "NotifySuccess", "NotifyFailure");
    /** What a successful build delivers (its image, snapshot and SSM parameter), by type. */
    private static final List<String> DELIVERED = List.of("image", "snapshot", "ssm-parameter");

    @AfterAll
    static void reportPermissionsNeverUsed() {
        OfflineBuild.reportPermissionsNeverUsed();
    }

    @TestFactory
    Stream<DynamicTest> aFailureAtAnyTaskEndsTheBuildAndNothingIsLeftBehind() {
        Map<String, String> tasks = LocalExecution.taskFunctions(OfflineBuild.buildDefinition());
        List<DynamicTest> tests = new ArrayList<>();
        for (String state : tasks.keySet()) {
            tests.add(DynamicTest.dynamicTest("failure at " + state, () -> failAt(state)));
        }
        assertTrue(tests.size() >= 25, "every task of the definition: " + tasks.keySet());
        return tests.stream();
    }

    private static void failAt(String state) {
        try (OfflineBuild account = new OfflineBuild(SimTimings.fast())) {
            String buildId = "fail-at-" + state.replaceAll("[^A-Za-z0-9]", "");
            account.host.failState(state, new HandlerHost.InjectedFailure(INJECTED, "injected at " + state));
            String input = "{}";
            if (state.equals("CheckExistingNetwork")) {
                input = ExistingNetwork.create(account.aws.ec2()).asInput();
            }
            if (OPTIONAL.contains(state)) {
                input = PUBLISH_EVERYTHING;
            }
            if (state.equals("DeleteFailedImage") || state.equals("NotifyFailure")) {
                // only a build that failed after registering its image gets here
                account.host.failState("CheckImageAvailable", new HandlerHost.InjectedFailure(INJECTED, "image broke"));
            }
            if (state.equals("DeleteFailedImageCopies")) {
                // only a build that failed after copying its image gets here
                account.host.failState("ShareImage", new HandlerHost.InjectedFailure(INJECTED, "sharing broke"));
            }

            LocalExecution.Result r = account.build(buildId, input);
            if (TOLERATED.contains(state)) {
                assertTolerated(state, r, account, buildId);
                return;
            }

            assertEquals("FAILED", r.status(), state);
            assertTrue(r.statesEntered().contains(state), state + " was not reached: " + r.statesEntered());
            boolean mainPath = !r.statesEntered().subList(0, r.statesEntered().indexOf(state)).contains("KeepResources?");
            if (mainPath) {
                assertEquals(INJECTED, r.error(), state);
                assertTrue(r.cause().contains("injected at " + state), r.cause());
                assertEquals(List.of(), account.leftovers(buildId), state);
            } else {
                // a cleanup step that fails: the teardown goes on, the build fails, the janitor finishes the job
                boolean successPath = r.error().equals("CleanupFailed");
                assertTrue(successPath || r.error().equals(INJECTED), state + ": " + r.error());
                assertTrue(!successPath || r.cause().contains(state) || state.equals("CheckInstancesTerminated"),
                        state + ": the cause names the step: " + r.cause());
                account.host.failState(state, null);
                account.host.failState("CheckImageAvailable", null);
                LocalExecution.Result janitor = account.cleanup(buildId);
                assertEquals("SUCCEEDED", janitor.status(), () -> state + ": " + janitor.error() + " " + janitor.cause());
                // a build whose only failure was its cleanup delivered its image: the janitor keeps it
                assertEquals(successPath ? DELIVERED : janitorLeaves(state), account.leftoverTypes(buildId), state);
            }
            account.assertEveryCallAllowed(state);
        }
    }

    /**
     * What the janitor cannot remove after a failed build: the parameter of a build that failed only after
     * publishing it (SummarizeBuild; the parameter then names the image the janitor deleted). The copies of a build
     * whose own DeleteFailedImageCopies failed are the janitor's: it searches every enabled region for them.
     */
    private static List<String> janitorLeaves(String state) {
        return state.equals("SummarizeBuild") ? List.of("ssm-parameter") : List.of();
    }

    /** A failed retention or notification is recorded; the build ends as it would have, leaving what it would. */
    private static void assertTolerated(String state, LocalExecution.Result r, OfflineBuild account, String buildId) {
        assertTrue(r.statesEntered().contains(state), state + " was not reached: " + r.statesEntered());
        if (state.equals("NotifyFailure")) {
            assertEquals("FAILED", r.status(), state);
            assertTrue(r.cause().contains("image broke"), state + ": the build's own error stays: " + r.cause());
            assertEquals(List.of(), account.leftovers(buildId), state);
        } else {
            assertEquals("SUCCEEDED", r.status(), () -> state + ": " + r.error() + " " + r.cause());
            List<String> expected = new ArrayList<>(DELIVERED);
            if (state.equals("ApplyRetention")) {
                expected.addAll(DELIVERED); // and the copy in eu-west-1
            }
            assertEquals(expected.stream().sorted().toList(), account.leftoverTypes(buildId), state);
        }
        account.assertEveryCallAllowed(state);
    }
}
