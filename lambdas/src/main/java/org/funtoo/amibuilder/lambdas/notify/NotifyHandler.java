package org.funtoo.amibuilder.lambdas.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.Json;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * How a build ended, told to machines and people: an event on the account's default EventBridge bus (source
 * {@value #SOURCE}) that rules can route anywhere, and a message on the stack's SNS topic. The two subclasses
 * decide what is said ({@code NotifySuccess}, {@code NotifyFailure}); the result of the Task is discarded.
 *
 * <p>PutEvents does not fail as a whole when its entry is refused, it reports the entry's error: that is turned
 * into an {@link EventBridgeException} so the state machine retries it like any other AWS error.
 */
public abstract class NotifyHandler extends Handler {
    @Override
    protected ErrorName failure() {
        return ErrorName.PublishFailed;
    }

    public static final String SOURCE = "funtoo-ami-builder";
    private final EventBridgeClient events;
    private final SnsClient sns;
    private final String topicArn;
    protected final Clock clock;

    protected NotifyHandler(EventBridgeClient events, SnsClient sns, String topicArn, Clock clock) {
        this.events = events;
        this.sns = sns;
        this.topicArn = topicArn;
        this.clock = clock;
    }

    protected abstract Notification notification(StateDocument doc);

    @Override
    protected final Map<String, Object> handle(StateDocument doc) {
        Notification n = notification(doc);
        PutEventsResponse sent = events.putEvents(r -> r.entries(e -> e
                .source(SOURCE)
                .detailType(n.detailType())
                .detail(Json.write(n.detail()))
                .resources(n.resources())
                .time(clock.instant())));
        PutEventsResultEntry entry = sent.entries().get(0);
        if (entry.errorCode() != null) {
            throw (EventBridgeException) EventBridgeException.builder()
                    .message("PutEvents refused the event: " + entry.errorCode() + ": " + entry.errorMessage())
                    // EventBridge's InternalFailure of an entry is its server's failure, a 5xx for the SDK
                    .statusCode("InternalFailure".equals(entry.errorCode()) ? 500 : 400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(entry.errorCode())
                            .errorMessage(entry.errorMessage()).build())
                    .build();
        }
        String messageId = sns.publish(r -> r.topicArn(topicArn).subject(n.subject()).message(n.text())).messageId();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("eventId", entry.eventId());
        out.put("messageId", messageId);
        return out;
    }

    /** Seconds since the execution started. */
    protected long buildSeconds(BuildConfig config) {
        return Duration.between(config.startedAt(), clock.instant()).getSeconds();
    }

    /** The fields every notification has, success or failure. */
    protected Map<String, Object> commonDetail(BuildConfig config, String status) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("buildId", config.buildId());
        detail.put("status", status);
        detail.put("region", config.region());
        detail.put("distribution", config.distribution());
        detail.put("architecture", config.architecture());
        detail.put("imageName", config.imageName());
        detail.put("startedAt", config.startedAt().toString());
        detail.put("buildSeconds", buildSeconds(config));
        return detail;
    }

    /** {@code arn:<partition>:ec2:<region>::image/<id>}: images have no account in their ARN. */
    protected static String imageArn(String region, String imageId) {
        return "arn:" + PartitionMetadata.of(Region.of(region)).id() + ":ec2:" + region + "::image/" + imageId;
    }
}
