package org.funtoo.amibuilder.lambdas.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class CheckImageAvailableHandlerTest {
    private static final String LOOP = "WaitForImage";
    private final Fixture f = new Fixture();
    private final CheckImageAvailableHandler handler = new CheckImageAvailableHandler(f.deps());

    @Test
    void waitsWhilePendingThenIsDone() {
        Map<String, Object> resources = f.registered();
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), LOOP), null);
        Expect.waiting(poll, "pending");
        assertEquals(30L, poll.get("waitSeconds"));
        f.aws.clock().advance(f.aws.timings().image.plusSeconds(1));
        Expect.done(handler.handleRequest(f.check(resources, poll, LOOP), null), "available");
    }

    @Test
    void failedImageIsImageFailed() {
        Map<String, Object> resources = f.registered();
        f.aws.ec2().failImage((String) resources.get("imageId"));
        f.aws.clock().advance(f.aws.timings().image.plusSeconds(1));
        Expect.named(ErrorName.ImageFailed, "image " + resources.get("imageId") + " is failed",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
    }
}
