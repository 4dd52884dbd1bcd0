package org.funtoo.amibuilder.lambdas.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.lambdas.testing.Images;
import org.junit.jupiter.api.Test;

class CheckImageNameHandlerTest {
    private final Fixture f = new Fixture("{\"image\":{\"name\":\"funtoo-nightly\"}}");
    private final CheckImageNameHandler handler = new CheckImageNameHandler(f.deps());

    @Test
    void freeNamePassesAndChangesNothing() {
        Map<String, Object> resources = Map.of("helperImageId", "ami-0a2023000000864a0");
        assertEquals(resources, handler.handleRequest(f.doc(resources), null));
    }

    @Test
    void nameTakenByAnotherImageIsPreflightFailedBeforeAnythingIsCreated() {
        String taken = Images.registerForeign(f.aws, "funtoo-nightly");
        int before = f.aws.inventory().size();
        Expect.named(ErrorName.PreflightFailed, "image.name \"funtoo-nightly\" is already used by " + taken,
                () -> handler.handleRequest(f.doc(Map.of()), null));
        assertEquals(before, f.aws.inventory().size());
        assertTrue(f.inventory().isEmpty());
    }

    @Test
    void thisBuildsOwnImageDoesNotCountAsTaken() {
        Map<String, Object> resources = f.registered();
        assertEquals(resources, handler.handleRequest(f.doc(resources), null));
    }
}
