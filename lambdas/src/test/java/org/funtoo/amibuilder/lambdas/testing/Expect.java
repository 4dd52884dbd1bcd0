package org.funtoo.amibuilder.lambdas.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Assertions the handler tests share. */
public final class Expect {
    private Expect() {
    }

    /** The handler failed with the named workflow error (as Step Functions would see it), saying {@code why}. */
    public static BuildFailure named(ErrorName name, String why, Executable handler) {
        BuildFailure failure = assertThrows(BuildFailure.class, handler);
        assertEquals(name, failure.errorName(), failure.getMessage());
        assertEquals(name.errorType(), failure.getClass().getName());
        assertTrue(failure.getMessage().contains(why), () -> "'" + why + "' not in: " + failure.getMessage());
        return failure;
    }

    /**
     * An AWS error left for the state machine's retry, as the error contract (core/AwsFailures) names it:
     * {@code AwsTransient} when the SDK calls it retryable, {@code AwsNotReady} when it heals by waiting.
     */
    public static BuildFailure retried(ErrorName kind, String code, Executable handler) {
        BuildFailure failure = assertThrows(BuildFailure.class, handler);
        assertEquals(kind, failure.errorName(), failure.getMessage());
        assertTrue(failure.getMessage().contains(": " + code + ": "), failure.getMessage());
        return failure;
    }

    public static void builderTags(List<Tag> tags, String purpose) {
        assertEquals(Fixture.BUILD_ID, Tags.value(tags, Tags.BUILD_ID).orElse(null));
        assertEquals("true", Tags.value(tags, Tags.MANAGED).orElse(null));
        assertEquals(Tags.name(Fixture.BUILD_ID, purpose), Tags.value(tags, "Name").orElse(null));
    }

    public static void waiting(Map<String, Object> poll, String state) {
        assertEquals(false, poll.get("done"), poll::toString);
        assertEquals(false, poll.get("timedOut"), poll::toString);
        assertEquals(state, poll.get("state"), poll::toString);
    }

    public static void done(Map<String, Object> poll, String state) {
        assertEquals(true, poll.get("done"), poll::toString);
        assertEquals(state, poll.get("state"), poll::toString);
    }

    public static void absent(Map<String, Object> resources, String key) {
        assertFalse(resources.containsKey(key), () -> key + " still in " + resources);
    }
}
