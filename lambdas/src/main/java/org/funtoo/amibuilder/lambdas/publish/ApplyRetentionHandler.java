package org.funtoo.amibuilder.lambdas.publish;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * Publish, last: with {@code publish.keepLatest} = N, keep the N newest images of this build's family (distribution,
 * architecture and name template: the {@link Tags#FAMILY} tag RegisterImage and CopyImage set) in the build's
 * region and in every copy region; older ones are deregistered, then their snapshots deleted (AWS refuses to delete
 * a snapshot an image still uses). Only images carrying the builder's managed tag are counted or touched, so an
 * image someone else tagged with the family is neither deleted nor takes a place. This build's own images are
 * always kept, and so are pending ones (another build's image in the making). Images go oldest first, so a build
 * that stops halfway has removed the least valuable ones. A snapshot is deleted only if it is managed too.
 *
 * <p>Deregistering and deleting the snapshot are two calls: if the Lambda dies between them, or DeleteSnapshot is
 * throttled and the Task's retry no longer finds the image, the snapshot would stay forever. So each region's
 * retention ends with {@link OrphanSnapshots}: managed snapshots of the family that no image uses are deleted too,
 * by the retry or by the next build's retention.
 */
public final class ApplyRetentionHandler extends Handler {
    private final Function<String, Ec2Client> ec2;

    public ApplyRetentionHandler() {
        this(HandlerDependencies.lambda());
    }

    public ApplyRetentionHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2ByRegion();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PublishFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Optional<Integer> keep = config.keepLatest();
        if (keep.isPresent()) {
            Set<String> own = new LinkedHashSet<>();
            PublishedImages.of(doc).forEach(i -> own.add(i.imageId()));
            List<String> regions = new ArrayList<>();
            regions.add(config.region());
            regions.addAll(config.copyToRegions());
            for (String region : regions) {
                apply(ec2.apply(region), config.imageFamily(), keep.get(), own);
                OrphanSnapshots.delete(ec2.apply(region), config.imageFamily(), config.buildId());
            }
        }
        return doc.resources().toMap();
    }

    private static void apply(Ec2Client ec2, String family, int keep, Set<String> own) {
        List<Image> newestFirst = ec2.describeImages(r -> r.owners("self").filters(
                        Tags.filter("tag:" + Tags.FAMILY, family), Tags.filter("tag:" + Tags.MANAGED, "true")))
                .images().stream()
                .filter(i -> Tags.managed(i.tags()))
                .sorted(Comparator.comparing(Image::creationDate).thenComparing(Image::imageId).reversed())
                .toList();
        List<Image> retired = new ArrayList<>(newestFirst.subList(Math.min(keep, newestFirst.size()),
                newestFirst.size()));
        retired.removeIf(i -> own.contains(i.imageId()) || "pending".equals(i.stateAsString()));
        Collections.reverse(retired);
        for (Image image : retired) {
            retire(ec2, image);
        }
    }

    private static void retire(Ec2Client ec2, Image image) {
        List<String> snapshotIds = image.blockDeviceMappings().stream()
                .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                .map(m -> m.ebs().snapshotId()).toList();
        Cleanup.deleteIgnoringGone(() -> ec2.deregisterImage(r -> r.imageId(image.imageId())));
        if (snapshotIds.isEmpty()) {
            return;
        }
        ec2.describeSnapshots(r -> r.ownerIds("self").filters(Tags.filter("snapshot-id", snapshotIds)))
                .snapshots().stream()
                .filter(s -> Tags.managed(s.tags()))
                .map(Snapshot::snapshotId)
                .forEach(id -> Cleanup.deleteIgnoringGone(() -> ec2.deleteSnapshot(r -> r.snapshotId(id))));
    }
}
