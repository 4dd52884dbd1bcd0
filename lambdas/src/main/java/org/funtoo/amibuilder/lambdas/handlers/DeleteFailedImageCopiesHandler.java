package org.funtoo.amibuilder.lambdas.handlers;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.AwsClients;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.RegionalClients;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * Cleanup of a failed build only, the pair of {@code CopyImageHandler}: in every region of
 * {@code publish.copyToRegions}, deregister the build's copies (found by id and by build tag, pending ones too),
 * then delete their snapshots. The regions come from {@code config}: the janitor's bare {@code {buildId}} document
 * knows none, so copies of a build whose own catch path never ran stay for an operator (they carry the tags).
 */
public final class DeleteFailedImageCopiesHandler extends Handler {
    private final Function<String, Ec2Client> ec2;

    public DeleteFailedImageCopiesHandler() {
        this(RegionalClients.of(AwsClients::ec2));
    }

    public DeleteFailedImageCopiesHandler(Function<String, Ec2Client> ec2) {
        this.ec2 = ec2;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        Map<String, String> known = resources.strings(Resources.COPIES);
        for (String region : config.copyToRegions()) {
            delete(ec2.apply(region), config.buildId(), Optional.ofNullable(known.get(region)));
        }
        return resources.without(Resources.COPIES).toMap();
    }

    private static void delete(Ec2Client ec2, String buildId, Optional<String> knownId) {
        Cleanup.targets(f -> ec2.describeImages(r -> r.owners("self").filters(f)).images(), Image::imageId,
                        Image::tags, "image-id", knownId.stream().toList(), buildId)
                .forEach(image -> Cleanup.deleteIgnoringGone(() ->
                        ec2.deregisterImage(r -> r.imageId(image.imageId()))));
        List<Snapshot> snapshots = Cleanup.targets(
                f -> ec2.describeSnapshots(r -> r.ownerIds("self").filters(f)).snapshots(), Snapshot::snapshotId,
                Snapshot::tags, "snapshot-id", List.of(), buildId);
        snapshots.forEach(s -> Cleanup.deleteIgnoringGone(() -> ec2.deleteSnapshot(r -> r.snapshotId(s.snapshotId()))));
    }
}
