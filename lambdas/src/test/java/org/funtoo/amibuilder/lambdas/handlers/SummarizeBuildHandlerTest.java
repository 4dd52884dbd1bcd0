package org.funtoo.amibuilder.lambdas.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.sim.CommandOutcome;
import org.junit.jupiter.api.Test;

class SummarizeBuildHandlerTest {
    private final Fixture f = new Fixture();

    @Test
    void summaryHasTheArchitectureSection3Fields() {
        Map<String, Object> resources = f.registered();
        long elapsed = java.time.Duration.between(
                java.time.Instant.parse((String) f.config().get("startedAt")), f.aws.clock().instant()).getSeconds();
        Map<String, Object> out = new SummarizeBuildHandler(f.aws.clock()).handleRequest(f.doc(resources), null);
        assertEquals(resources.get(Resources.IMAGE_ID), out.get("imageId"));
        assertEquals(((Map<?, ?>) f.config().get("image")).get("name"), out.get("imageName"));
        assertEquals(resources.get(Resources.SNAPSHOT_ID), out.get("snapshotId"));
        assertEquals("us-east-1", out.get("region"));
        assertEquals("x86_64", out.get("architecture"));
        assertEquals("funtoo", out.get("distribution"));
        assertEquals(Map.of("url", CommandOutcome.DEFAULT_STAGE3_URL, "sha256", CommandOutcome.DEFAULT_STAGE3_SHA256),
                out.get("stage3"));
        assertEquals("/funtoo-ami-builder/funtoo/x86_64/latest", out.get("ssmParameter"));
        assertEquals(elapsed, out.get("buildSeconds"));
        assertEquals(9, out.size());
    }
}
