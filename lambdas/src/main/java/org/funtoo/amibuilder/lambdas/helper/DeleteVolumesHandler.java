package org.funtoo.amibuilder.lambdas.helper;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * Cleanup: the build's volumes that outlived their instance. Normally none (both of the helper's volumes are
 * DeleteOnTermination); only {@code available} ones are deleted, an in-use volume is its instance's to remove.
 * {@code targetVolumeId} leaves {@code resources} unless that volume is still in use.
 */
public final class DeleteVolumesHandler extends Handler {
    private final Ec2Client ec2;

    public DeleteVolumesHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeleteVolumesHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        Resources resources = doc.resources();
        List<Volume> volumes = Cleanup.targets(f -> ec2.describeVolumes(r -> r.filters(f)).volumes(),
                Volume::volumeId, Volume::tags, "volume-id", resources.get(Resources.TARGET_VOLUME_ID).stream().toList(),
                doc.config().buildId());
        boolean targetStillInUse = false;
        for (Volume volume : volumes) {
            if (volume.state() == VolumeState.AVAILABLE) {
                Cleanup.deleteIgnoringGone(() -> ec2.deleteVolume(r -> r.volumeId(volume.volumeId())));
            } else if (volume.state() == VolumeState.IN_USE
                    && resources.get(Resources.TARGET_VOLUME_ID).filter(volume.volumeId()::equals).isPresent()) {
                targetStillInUse = true;
            }
        }
        return targetStillInUse ? resources.toMap() : resources.without(Resources.TARGET_VOLUME_ID).toMap();
    }
}
