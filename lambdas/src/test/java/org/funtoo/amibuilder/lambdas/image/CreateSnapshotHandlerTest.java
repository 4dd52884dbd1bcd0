package org.funtoo.amibuilder.lambdas.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Snapshot;

class CreateSnapshotHandlerTest {
    private final Fixture f = new Fixture("{\"image\":{\"tags\":{\"team\":\"os\"}}}");
    private final CreateSnapshotHandler handler = new CreateSnapshotHandler(f.deps());

    @Test
    void snapshotsTheTargetVolumeWithBuilderImageAndFamilyTags() {
        Map<String, Object> before = f.bootstrapped();
        String snapshotId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.SNAPSHOT_ID);
        Snapshot snapshot = f.aws.ec2().describeSnapshots(r -> r.snapshotIds(snapshotId)).snapshots().get(0);
        assertEquals(before.get(Resources.TARGET_VOLUME_ID), snapshot.volumeId());
        Expect.builderTags(snapshot.tags(), "root");
        assertEquals("os", Tags.value(snapshot.tags(), "team").orElse(null));
        assertEquals("funtoo/x86_64/funtoo-next-x86_64-{timestamp}", Tags.value(snapshot.tags(), Tags.FAMILY)
                .orElse(null), "retention finds it by family should it outlive its image");
    }

    @Test
    void retryReturnsTheSameSnapshot() {
        Map<String, Object> before = f.bootstrapped();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.SNAPSHOT_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.SNAPSHOT_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ec2", "CreateSnapshot"));
    }
}
