package org.funtoo.amibuilder.lambdas.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.PermissionGroup;

/**
 * Publish: launch permissions for {@code publish.launchPermissionAccountIds} and, with {@code publish.public}, for
 * everyone, on the image and its copies. The accounts also get create-volume permission on the images' snapshots,
 * so they can copy the AMI into their own account, not only launch it. Adding a permission that exists is a no-op
 * for AWS, so a retry changes nothing. Copies of an encrypted image are not shared: CopyImage encrypted them with
 * the destination region's default EBS key, which AWS never lets anyone share.
 */
public final class ShareImageHandler extends Handler {
    /** AWS refusing the account ids or the group: no retry fixes the input. */
    static final Set<String> HOPELESS = Set.of("InvalidAMIAttributeItemValue", "InvalidUserID.Malformed",
            "InvalidParameterValue", "InvalidParameterCombination");
    private final Function<String, Ec2Client> ec2;

    public ShareImageHandler() {
        this(HandlerDependencies.lambda());
    }

    public ShareImageHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2ByRegion();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PublishFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        List<String> accounts = config.launchPermissionAccountIds();
        if (!accounts.isEmpty() || config.publicImage()) {
            List<PublishedImages> images = PublishedImages.ofBuild(doc, ec2);
            for (PublishedImages image : config.encrypted() ? images.subList(0, 1) : images) {
                share(image, accounts, config.publicImage());
            }
        }
        return doc.resources().toMap();
    }

    private void share(PublishedImages image, List<String> accounts, boolean everyone) {
        Ec2Client client = ec2.apply(image.region());
        List<LaunchPermission> permissions = new ArrayList<>();
        accounts.forEach(a -> permissions.add(LaunchPermission.builder().userId(a).build()));
        if (everyone) {
            permissions.add(LaunchPermission.builder().group(PermissionGroup.ALL).build());
        }
        refusedAsPublishFailed(image, () -> client.modifyImageAttribute(r -> r.imageId(image.imageId())
                .launchPermission(p -> p.add(permissions))));
        if (accounts.isEmpty()) {
            return;
        }
        List<String> snapshotIds = client.describeImages(r -> r.imageIds(image.imageId())).images().stream()
                .flatMap(i -> i.blockDeviceMappings().stream())
                .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                .map(m -> m.ebs().snapshotId()).toList();
        for (String snapshotId : snapshotIds) {
            refusedAsPublishFailed(image, () -> client.modifySnapshotAttribute(r -> r.snapshotId(snapshotId)
                    .createVolumePermission(p -> p.add(accounts.stream()
                            .map(a -> CreateVolumePermission.builder().userId(a).build()).toList()))));
        }
    }

    private static void refusedAsPublishFailed(PublishedImages image, Runnable call) {
        try {
            call.run();
        } catch (AwsServiceException e) {
            if (HOPELESS.contains(AwsErrors.code(e))) {
                throw BuildFailure.of(ErrorName.PublishFailed, "cannot share " + image.imageId() + " in "
                        + image.region() + ": " + AwsErrors.code(e) + ": " + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
    }
}
