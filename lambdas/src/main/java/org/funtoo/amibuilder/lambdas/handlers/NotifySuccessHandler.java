package org.funtoo.amibuilder.lambdas.handlers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.AwsClients;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Section;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Event {@value #DETAIL_TYPE} and a message: the image, its copies, its parameter and how long it took, and a
 * retention that failed after the image was published ({@code $.retentionError}), if one did.
 */
public final class NotifySuccessHandler extends NotifyHandler {
    public static final String DETAIL_TYPE = "AMI Build Succeeded";

    public NotifySuccessHandler() {
        this(AwsClients.eventBridge(), AwsClients.sns(), Env.require(Env.NOTIFICATION_TOPIC_ARN), Clock.systemUTC());
    }

    public NotifySuccessHandler(EventBridgeClient events, SnsClient sns, String topicArn, Clock clock) {
        super(events, sns, topicArn, clock);
    }

    @Override
    protected Notification notification(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
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
