package org.funtoo.amibuilder.lambdas.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.CommandOutcome;
import org.junit.jupiter.api.Test;

class SummarizeBuildHandlerTest {
    private final Fixture f = new Fixture();

    @Test
    void summaryHasTheArchitectureSection3Fields() {
        Map<String, Object> resources = f.registered();
        long elapsed = java.time.Duration.between(
                java.time.Instant.parse((String) f.config().get("startedAt")), f.aws.clock().instant()).getSeconds();
        Map<String, Object> out = new SummarizeBuildHandler(f.deps()).handleRequest(f.doc(resources), null);
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
        assertEquals(11, out.size());
    }

    @Test
    void timelineCarriesTheBootstrapPhasesInTheOrderTheyRan() {
        Map<String, Object> resources = new java.util.LinkedHashMap<>(f.registered());
        resources.put(Resources.BOOTSTRAP_PHASES, "check-helper:3,fetch-stage3:41,finish:7");
        resources.put(Resources.COPIES, Map.of("eu-west-1", "ami-0fedcba9876543210"));
        Map<String, Object> out = new SummarizeBuildHandler(f.deps()).handleRequest(f.doc(resources), null);
        Map<?, ?> timeline = (Map<?, ?>) out.get("timeline");
        assertEquals(f.config().get("startedAt"), timeline.get("startedAt"));
        assertEquals(f.aws.clock().instant().toString(), timeline.get("finishedAt"));
        assertEquals(java.util.List.of(Map.of("phase", "check-helper", "seconds", 3L),
                Map.of("phase", "fetch-stage3", "seconds", 41L), Map.of("phase", "finish", "seconds", 7L)),
                timeline.get("bootstrapPhases"));
        assertEquals(Map.of("eu-west-1", "ami-0fedcba9876543210"), out.get("copies"));
    }
}
