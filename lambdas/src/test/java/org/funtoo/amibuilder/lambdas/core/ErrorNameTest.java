package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrorNameTest {
    @Test
    void everyNameMakesItsOwnClassWhoseNameIsTheErrorTypeStepFunctionsSees() {
        for (ErrorName name : ErrorName.values()) {
            BuildFailure failure = BuildFailure.of(name, "why");
            assertEquals(name, failure.errorName());
            assertEquals(name.name(), failure.getClass().getSimpleName());
            // what Lambda's Java runtime reports as errorType, and what the state machine's ErrorEquals name
            assertEquals(failure.getClass().getName(), name.errorType());
            assertEquals(BuildFailure.class.getPackageName(), failure.getClass().getPackageName());
            assertEquals("why", failure.getMessage());
            assertEquals(Optional.of(name), ErrorName.ofErrorType(failure.getClass().getName()));
        }
        assertEquals(Optional.empty(), ErrorName.ofErrorType("BootstrapFailed"), "the short name is not an errorType");
        assertEquals(Optional.empty(), ErrorName.ofErrorType("java.lang.IllegalStateException"));
    }

    /** A handler as the workflow's are: named after its state plus {@code Handler}. */
    static final class ExampleImageHandler extends Handler {
        @Override
        protected Map<String, Object> handle(StateDocument doc) {
            throw BuildFailure.of(ErrorName.ImageFailed, "image went to failed: Client.Error: boom");
        }

        @Override
        protected ErrorName failure() {
            return ErrorName.ImageFailed;
        }
    }

    @Test
    void aFailureLeavingAHandlerNamesTheHandlerInItsMessage() {
        BuildFailure out = assertThrows(BuildFailure.class,
                () -> new ExampleImageHandler().handleRequest(Map.of(), null));

        assertEquals(ErrorName.ImageFailed, out.errorName());
        assertEquals(ErrorName.ImageFailed.errorType(), out.getClass().getName());
        assertEquals("ExampleImageHandler: image went to failed: Client.Error: boom", out.getMessage());
        assertTrue(java.util.Arrays.stream(out.getStackTrace())
                        .anyMatch(frame -> frame.toString().contains("ExampleImageHandler.handle(")),
                "the stack is the original failure's");
    }

    @Test
    void theHandlerIsReadBackFromTheMessageAndNamedOnce() {
        BuildFailure raised = BuildFailure.of(ErrorName.BootstrapFailed, "phase 3: GRUB: install failed")
                .raisedIn("SendBootstrapCommandHandler");
        assertEquals("SendBootstrapCommandHandler: phase 3: GRUB: install failed", raised.getMessage());
        assertEquals(ErrorName.BootstrapFailed, raised.errorName());
        assertSame(raised, raised.raisedIn("OtherHandler"), "a failure is raised in one handler");
        BuildFailure.Raised read = BuildFailure.handlerOf(raised.getMessage()).orElseThrow();
        assertEquals("SendBootstrapCommandHandler", read.handler());
        assertEquals("phase 3: GRUB: install failed", read.text());
        assertTrue(BuildFailure.handlerOf("phase 3: GRUB: install failed").isEmpty());
        assertTrue(BuildFailure.handlerOf(null).isEmpty());
        // an AWS error leaves a handler named the same way
        assertEquals("CreateVpcHandler", BuildFailure.handlerOf(AwsFailures.classify(
                software.amazon.awssdk.core.exception.SdkClientException.create("connection reset"),
                ErrorName.NetworkInvalid, "CreateVpcHandler").getMessage()).orElseThrow().handler());
    }
}
