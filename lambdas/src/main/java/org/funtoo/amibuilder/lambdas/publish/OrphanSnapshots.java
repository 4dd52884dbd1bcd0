package org.funtoo.amibuilder.lambdas.publish;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * Snapshots of an image family that no image uses any more: what a retention leaves behind when it dies between
 * deregistering an image and deleting its snapshot, or when DeleteSnapshot is throttled and the retry finds no
 * image to read the snapshot from. Such a snapshot carries an old, successful build's id, so the janitor never
 * looks at it; its family tag (set by CreateSnapshot and CopyImage) is how a later retention finds it.
 *
 * <p>One is deleted only if it is managed, not the current build's, used by no image of the account (any state,
 * disabled ones included) and its source volume is gone. The volume keeps a concurrent build of the family safe:
 * between its CreateSnapshot and RegisterImage its snapshot backs no image yet, but its target volume lives until
 * its teardown, which comes after RegisterImage. A copy's snapshot is made together with its image by CopyImage
 * (its source volume, {@code vol-ffffffff}, never exists), so an unused one is always an orphan.
 */
final class OrphanSnapshots {
    private OrphanSnapshots() {
    }

    static void delete(Ec2Client ec2, String family, String buildId) {
        List<Snapshot> candidates = ec2.describeSnapshots(r -> r.ownerIds("self").filters(
                        Tags.filter("tag:" + Tags.FAMILY, family), Tags.filter("tag:" + Tags.MANAGED, "true")))
                .snapshots().stream()
                .filter(s -> Tags.managed(s.tags()))
                .filter(s -> !Tags.value(s.tags(), Tags.BUILD_ID).orElse("").equals(buildId))
                .toList();
        if (candidates.isEmpty()) {
            return;
        }
        Set<String> used = usedByImages(ec2, candidates.stream().map(Snapshot::snapshotId).toList());
        Set<String> liveVolumes = existingVolumes(ec2, candidates.stream().map(Snapshot::volumeId)
                .filter(Objects::nonNull).distinct().toList());
        candidates.stream()
                .filter(s -> !used.contains(s.snapshotId()) && !liveVolumes.contains(s.volumeId()))
                .forEach(s -> deleteUnlessUsed(ec2, s.snapshotId()));
    }

    private static Set<String> usedByImages(Ec2Client ec2, List<String> snapshotIds) {
        Set<String> used = new HashSet<>();
        for (List<String> chunk : Tags.filterSized(snapshotIds)) {
            ec2.describeImages(r -> r.owners("self").includeDisabled(true)
                            .filters(Tags.filter("block-device-mapping.snapshot-id", chunk)))
                    .images().forEach(image -> image.blockDeviceMappings().stream()
                            .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                            .forEach(m -> used.add(m.ebs().snapshotId())));
        }
        return used;
    }

    private static Set<String> existingVolumes(Ec2Client ec2, List<String> volumeIds) {
        Set<String> existing = new HashSet<>();
        // a filter, not VolumeIds: a volume that is gone is then simply not listed instead of failing the call
        for (List<String> chunk : Tags.filterSized(volumeIds)) {
            ec2.describeVolumes(r -> r.filters(Tags.filter("volume-id", chunk))).volumes().stream()
                    .map(Volume::volumeId).forEach(existing::add);
        }
        return existing;
    }

    /** An image registered from it since we looked (AWS answers InUse) makes it no orphan after all. */
    private static void deleteUnlessUsed(Ec2Client ec2, String snapshotId) {
        try {
            Cleanup.deleteIgnoringGone(() -> ec2.deleteSnapshot(r -> r.snapshotId(snapshotId)));
        } catch (AwsServiceException e) {
            if (!"InvalidSnapshot.InUse".equals(AwsErrors.code(e))) {
                throw e;
            }
        }
    }
}
