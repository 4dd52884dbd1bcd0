package org.funtoo.amibuilder.lambdas.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ResourceType;

class DeleteVolumesHandlerTest {
    private final Fixture f = new Fixture();
    private final DeleteVolumesHandler handler = new DeleteVolumesHandler(f.deps());

    @Test
    void deletesAnAvailableVolumeOfTheBuild() {
        String volumeId = volume(true);
        Map<String, Object> after = handler.handleRequest(f.doc(Map.of(Resources.TARGET_VOLUME_ID, volumeId)), null);
        Expect.absent(after, Resources.TARGET_VOLUME_ID);
        assertTrue(gone(volumeId));
    }

    @Test
    void janitorFindsAnOrphanedVolumeByTag() {
        String volumeId = volume(true);
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertTrue(gone(volumeId));
    }

    @Test
    void volumeStillInUseIsLeftToItsInstance() {
        Map<String, Object> resources = f.helperOnline();
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        assertEquals(resources.get(Resources.TARGET_VOLUME_ID), after.get(Resources.TARGET_VOLUME_ID));
        assertEquals(0, f.calls("ec2", "DeleteVolume"));
    }

    @Test
    void volumesGoneWithTheirInstanceAreDone() {
        Map<String, Object> resources = f.helperOnline();
        new TerminateInstancesHandler(f.deps()).handleRequest(f.doc(resources), null);
        f.aws.clock().advance(f.aws.timings().instanceShuttingDown.plusSeconds(1));
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.TARGET_VOLUME_ID);
        assertTrue(gone(Fixture.id(resources, Resources.TARGET_VOLUME_ID)));
    }

    @Test
    void unmanagedVolumeIsNeverDeleted() {
        String volumeId = volume(false);
        handler.handleRequest(f.doc(Map.of(Resources.TARGET_VOLUME_ID, volumeId)), null);
        assertEquals(0, f.calls("ec2", "DeleteVolume"));
        assertTrue(!gone(volumeId));
    }

    private String volume(boolean managed) {
        String id = f.aws.ec2().createVolume(r -> r.availabilityZone(SimAws.HOME_REGION + "a").size(10)
                .tagSpecifications(managed ? Tags.spec(ResourceType.VOLUME, Fixture.BUILD_ID, "helper-volume")
                        : Tags.spec(ResourceType.VOLUME, Fixture.BUILD_ID, "helper-volume").toBuilder()
                        .tags(t -> t.key(Tags.BUILD_ID).value(Fixture.BUILD_ID)).build())).volumeId();
        f.aws.clock().advance(f.aws.timings().volumeCreating);
        return id;
    }

    private boolean gone(String volumeId) {
        return f.aws.ec2().describeVolumes(r -> r.filters(Tags.filter("volume-id", volumeId))).volumes().stream()
                .allMatch(v -> "deleted".equals(v.stateAsString()) || "deleting".equals(v.stateAsString()));
    }
}
