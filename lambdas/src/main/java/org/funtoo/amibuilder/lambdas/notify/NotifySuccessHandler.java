package org.funtoo.amibuilder.lambdas.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Section;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.publish.PublishedImages;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Event {@value #DETAIL_TYPE} and a message: the image, its copies, its parameter and how long it took, and a
 * retention that failed after the image was published ({@code $.retentionError}), if one did. Rules may route the
 * event to automation that deploys the image, and people launch what the message names: the image and its copies
 * are checked to be this build's first, so a direct invocation cannot announce someone else's image.
 */
public final class NotifySuccessHandler extends NotifyHandler {
    public static final String DETAIL_TYPE = "AMI Build Succeeded";

    private final Function<String, Ec2Client> ec2;

    public NotifySuccessHandler() {
        this(HandlerDependencies.lambda());
    }

    /** EC2 per region: the announced image and copies are checked to be this build's. */
    public NotifySuccessHandler(HandlerDependencies deps) {
        super(deps.eventBridge(), deps.sns(), deps.require(Env.NOTIFICATION_TOPIC_ARN), deps.clock());
        this.ec2 = deps.ec2ByRegion();
    }

    @Override
    protected Notification notification(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        PublishedImages.ofBuild(doc, ec2);
        String imageId = resources.require(Resources.IMAGE_ID);
        Map<String, String> copies = resources.strings(Resources.COPIES);
        String parameter = config.ssmParameterName().orElse(null);
        long seconds = buildSeconds(config);

        Map<String, Object> detail = commonDetail(config, "SUCCEEDED");
        detail.put("imageId", imageId);
        detail.put("snapshotId", resources.get(Resources.SNAPSHOT_ID).orElse(null));
        detail.put("ssmParameter", parameter);
        detail.put("copies", copies);
        // the workflow records a retention that failed after publishing instead of failing the build
        Section retention = doc.root().section("retentionError");
        String retentionError = retention.has("Error")
                ? retention.string("Error").orElse("") + ": " + retention.string("Cause").orElse("") : null;
        detail.put("retentionError", retentionError);

        List<String> arns = new ArrayList<>();
        arns.add(imageArn(config.region(), imageId));
        copies.forEach((region, id) -> arns.add(imageArn(region, id)));

        StringBuilder text = new StringBuilder()
                .append("funtoo-ami-builder build ").append(config.buildId()).append(" succeeded.\n\n")
                .append("Image:     ").append(imageId).append(" (").append(config.imageName()).append(")\n")
                .append("Region:    ").append(config.region()).append('\n');
        copies.forEach((region, id) -> text.append("Copy:      ").append(id).append(" in ").append(region)
                .append('\n'));
        if (parameter != null) {
            text.append("Parameter: ").append(parameter).append('\n');
        }
        text.append("Duration:  ").append(Notification.duration(seconds)).append('\n');
        if (retentionError != null) {
            text.append("\nOlder images were not all removed (the next build tries again): ").append(retentionError)
                    .append('\n');
        }
        return new Notification(DETAIL_TYPE, detail, arns,
                "funtoo-ami-builder: " + config.imageName() + " is " + imageId, text.toString());
    }
}
