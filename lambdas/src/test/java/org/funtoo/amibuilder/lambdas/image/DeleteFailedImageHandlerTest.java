package org.funtoo.amibuilder.lambdas.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.lambdas.testing.Images;
import org.junit.jupiter.api.Test;

class DeleteFailedImageHandlerTest {
    private final Fixture f = new Fixture();
    private final DeleteFailedImageHandler handler = new DeleteFailedImageHandler(f.deps());

    @Test
    void deregistersTheImageThenDeletesItsSnapshot() {
        Map<String, Object> resources = f.registered();
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.IMAGE_ID);
        Expect.absent(after, Resources.SNAPSHOT_ID);
        assertTrue(imageGone(Fixture.id(resources, Resources.IMAGE_ID)));
        assertTrue(snapshotGone(Fixture.id(resources, Resources.SNAPSHOT_ID)));
    }

    @Test
    void snapshotWithoutImageIsDeleted() {
        Map<String, Object> resources = f.snapshotCompleted();
        handler.handleRequest(f.doc(resources), null);
        assertTrue(snapshotGone(Fixture.id(resources, Resources.SNAPSHOT_ID)));
        assertEquals(0, f.calls("ec2", "DeregisterImage"));
    }

    @Test
    void janitorFindsImageAndSnapshotByTag() {
        Map<String, Object> resources = f.registered();
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertTrue(imageGone(Fixture.id(resources, Resources.IMAGE_ID)));
        assertTrue(snapshotGone(Fixture.id(resources, Resources.SNAPSHOT_ID)));
    }

    @Test
    void anotherTeamsImageIsNeverTouched() {
        String foreign = Images.registerForeign(f.aws, "someone-elses");
        handler.handleRequest(f.doc(Map.of(Resources.IMAGE_ID, foreign)), null);
        assertEquals(0, f.calls("ec2", "DeregisterImage"));
        assertTrue(!imageGone(foreign));
    }

    private boolean imageGone(String id) {
        return f.aws.ec2().describeImages(r -> r.owners("self").filters(Tags.filter("image-id", id))).images()
                .stream().allMatch(i -> "deregistered".equals(i.stateAsString()));
    }

    private boolean snapshotGone(String id) {
        return f.aws.ec2().describeSnapshots(r -> r.ownerIds("self").filters(Tags.filter("snapshot-id", id)))
                .snapshots().isEmpty();
    }
}
