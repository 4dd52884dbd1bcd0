package org.funtoo.amibuilder.lambdas.image;

import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * Snapshots the target volume, which the bootstrap left unmounted and checked. It carries the caller's image tags
 * and the image family too: it is the image's backing store and lives as long as the image, and the family tag lets
 * a later retention find it if it ever outlives its image (a retention that died between deregistering the image
 * and deleting the snapshot).
 */
public final class CreateSnapshotHandler extends Handler {
    public static final String PURPOSE = "root";
    private final Ec2Client ec2;

    public CreateSnapshotHandler() {
        this(HandlerDependencies.lambda());
    }

    public CreateSnapshotHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.SnapshotFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        String buildId = config.buildId();
        String snapshotId = existing(buildId).orElseGet(() -> snapshot(config, resources));
        return resources.with(Resources.SNAPSHOT_ID, snapshotId).toMap();
    }

    private String snapshot(BuildConfig config, Resources resources) {
        String buildId = config.buildId();
        String volumeId = resources.require(Resources.TARGET_VOLUME_ID);
        // the snapshot becomes the builder's (tagged managed, then registered, shared, published): only this
        // build's target volume, never a volume named by the input of a direct invocation
        BuildOwnership.requireVolume(ec2, volumeId, buildId, "resources.targetVolumeId");
        return ec2.createSnapshot(r -> r
                .volumeId(volumeId)
                .description("Root of " + config.imageName() + " (funtoo-ami-builder " + buildId + ")")
                .tagSpecifications(Tags.spec(ResourceType.SNAPSHOT, buildId, PURPOSE,
                        RegisterImageHandler.imageTags(config))))
                .snapshotId();
    }

    private Optional<String> existing(String buildId) {
        return ec2.describeSnapshots(r -> r.ownerIds("self").filters(Tags.ofPurpose(buildId, PURPOSE)))
                .snapshots().stream().map(Snapshot::snapshotId).findFirst();
    }
}
