package org.funtoo.amibuilder.lambdas.image;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * Cleanup of a failed build only: deregister its image, then delete its snapshot (which AWS refuses while an image
 * still uses it). The workflow never runs this after a successful build: that snapshot backs the product.
 */
public final class DeleteFailedImageHandler extends Handler {
    private final Ec2Client ec2;

    public DeleteFailedImageHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeleteFailedImageHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        String buildId = doc.config().buildId();
        Resources resources = doc.resources();
        Cleanup.targets(f -> ec2.describeImages(r -> r.owners("self").filters(f)).images(), Image::imageId,
                        Image::tags, "image-id", resources.get(Resources.IMAGE_ID).stream().toList(), buildId)
                .stream().filter(image -> !"deregistered".equals(image.stateAsString()))
                .forEach(image -> Cleanup.deleteIgnoringGone(() ->
                        ec2.deregisterImage(r -> r.imageId(image.imageId()))));
        Cleanup.targets(f -> ec2.describeSnapshots(r -> r.ownerIds("self").filters(f)).snapshots(),
                        Snapshot::snapshotId, Snapshot::tags, "snapshot-id",
                        resources.get(Resources.SNAPSHOT_ID).stream().toList(), buildId)
                .forEach(snapshot -> Cleanup.deleteIgnoringGone(() ->
                        ec2.deleteSnapshot(r -> r.snapshotId(snapshot.snapshotId()))));
        return resources.without(Resources.IMAGE_ID).without(Resources.SNAPSHOT_ID).toMap();
    }
}
