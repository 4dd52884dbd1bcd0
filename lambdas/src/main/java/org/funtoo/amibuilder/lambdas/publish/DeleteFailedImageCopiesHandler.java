package org.funtoo.amibuilder.lambdas.publish;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import org.funtoo.amibuilder.lambdas.teardown.OtherRegions;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * Cleanup of a failed build only, the pair of {@code CopyImageHandler}: deregister the build's copies (found by id
 * and by build tag, pending ones too), then delete their snapshots, in every region the copies may be in. The
 * build's own document names them ({@code publish.copyToRegions}); the janitor's bare {@code {buildId}} document
 * has no {@code publish} (see {@link BuildConfig#knownCopyRegions()}), so then every other enabled region of the
 * account is searched: a build that was aborted or crashed after CopyImage must not leave its copies behind.
 */
public final class DeleteFailedImageCopiesHandler extends Handler {
    private final Function<String, Ec2Client> ec2;
    private final String homeRegion;

    public DeleteFailedImageCopiesHandler() {
        this(HandlerDependencies.lambda());
    }

    /**
     * The home region is the function's own (the build's), whose image is {@code DeleteFailedImageHandler}'s; the
     * others are searched for copies.
     */
    public DeleteFailedImageCopiesHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2ByRegion();
        this.homeRegion = deps.region();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        Map<String, String> known = resources.strings(Resources.COPIES);
        Optional<List<String>> named = config.knownCopyRegions();
        if (named.isPresent()) {
            for (String region : named.get()) {
                delete(ec2.apply(region), config.buildId(), Optional.ofNullable(known.get(region)));
            }
        } else {
            for (String region : OtherRegions.of(ec2.apply(homeRegion), homeRegion)) {
                OtherRegions.searchUnlessClosed(() ->
                        delete(ec2.apply(region), config.buildId(), Optional.ofNullable(known.get(region))));
            }
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
