package org.funtoo.amibuilder.lambdas.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class CheckImageCopiesHandlerTest {
    private static final String LOOP = "WaitForImageCopies";
    private final Fixture f = new Fixture(CopyImageHandlerTest.TWO_REGIONS);
    private final CheckImageCopiesHandler handler = new CheckImageCopiesHandler(f.deps());

    @Test
    void waitsUntilEveryCopyIsAvailable() {
        Map<String, Object> resources = copied();
        Map<String, Object> poll = handler.handleRequest(f.check(resources, Map.of(), LOOP), null);
        Expect.waiting(poll, "eu-west-1 pending, ap-southeast-2 pending");
        assertEquals(60L, poll.get("waitSeconds"));

        f.aws.clock().advance(f.aws.timings().imageCopy.plusSeconds(1));

        Expect.done(handler.handleRequest(f.check(resources, poll, LOOP), null), "available");
    }

    @Test
    void copyThatFailsIsPublishFailedNamingItsRegion() {
        f.aws.ec2("ap-southeast-2").failNextImage();
        Map<String, Object> resources = copied();
        f.aws.clock().advance(f.aws.timings().imageCopy.plusSeconds(1));

        Expect.named(ErrorName.PublishFailed, "in ap-southeast-2 is failed",
                () -> handler.handleRequest(f.check(resources, Map.of(), LOOP), null));
    }

    @Test
    void copyNotYetVisibleIsAwaited() {
        Map<String, Object> resources = new LinkedHashMap<>(copied());
        resources.put(Resources.COPIES, Map.of("eu-west-1", "ami-0123456789abcdef0"));
        Expect.waiting(handler.handleRequest(f.check(resources, Map.of(), LOOP), null), "eu-west-1 unknown");
    }

    private Map<String, Object> copied() {
        return new CopyImageHandler(f.deps()).handleRequest(f.doc(f.smokeTested()), null);
    }
}
