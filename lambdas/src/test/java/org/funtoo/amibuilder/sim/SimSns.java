package org.funtoo.amibuilder.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.CreateTopicRequest;
import software.amazon.awssdk.services.sns.model.CreateTopicResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Simulated SNS of one region: standard topics (CreateTopic, idempotent by name) and Publish with AWS's rules: the
 * topic must exist in this region ({@code NotFound}), the message must not be empty nor over 256 KiB, the subject is
 * at most 100 characters of printable ASCII without line breaks ({@code InvalidParameter}). Published messages are
 * recorded for tests ({@link #published}).
 */
public final class SimSns implements SnsClient, SimService {
    /** IAM's prefix for SNS actions ({@code sns:Publish}). */
    private static final String IAM_SERVICE = "sns";
    private static final ModeledErrors ERRORS = new ModeledErrors(SnsException.class, SnsException::builder, "Sns");
    private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws:sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,256})");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern SUBJECT = Pattern.compile("[\\x21-\\x7e][\\x20-\\x7e]{0,99}");
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    /** A message as the topic's subscribers would receive it. */
    public record Message(String messageId, String topicArn, String subject, String message, Instant at) {
    }

    private final SimAws aws;
    private final String region;
    private final Map<String, Map<String, String>> topics = new LinkedHashMap<>();
    private final List<Message> published = new ArrayList<>();

    SimSns(SimAws aws, String region) {
        this.aws = aws;
        this.region = region;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    // ---- test hooks --------------------------------------------------------------------------------------------

    /** Every message accepted so far, in order. */
    public synchronized List<Message> published() {
        return List.copyOf(published);
    }

    // ---- topics ------------------------------------------------------------------------------------------------

    @Override
    public synchronized CreateTopicResponse createTopic(CreateTopicRequest r) {
        return op("CreateTopic", r, call -> {
            if (r.name() == null || !TOPIC_NAME.matcher(r.name()).matches()) {
                throw new ServiceRejection("InvalidParameter", "Invalid parameter: Topic Name");
            }
            String arn = "arn:aws:sns:" + region + ":" + SimAws.ACCOUNT_ID + ":" + r.name();
            Map<String, String> tags = new LinkedHashMap<>();
            r.tags().forEach(t -> tags.put(t.key(), t.value()));
            call.requestTags(tags);
            topics.putIfAbsent(arn, tags);
            call.touched(arn, topics.get(arn));
            return CreateTopicResponse.builder().topicArn(arn).build();
        });
    }

    // ---- Publish -----------------------------------------------------------------------------------------------

    @Override
    public synchronized PublishResponse publish(PublishRequest r) {
        return op("Publish", r, call -> {
            if (r.topicArn() == null) {
                throw new ServiceRejection("InvalidParameter",
                        "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
            }
            Matcher arn = TOPIC_ARN.matcher(r.topicArn());
            if (!arn.matches()) {
                throw new ServiceRejection("InvalidParameter", "Invalid parameter: TopicArn");
            }
            call.touched(r.topicArn(), topics.getOrDefault(r.topicArn(), Map.of()));
            if (!arn.group(1).equals(region) || !topics.containsKey(r.topicArn())) {
                throw new ServiceRejection("NotFound", "Topic does not exist");
            }
            if (r.message() == null || r.message().isEmpty()) {
                throw new ServiceRejection("InvalidParameter", "Invalid parameter: Empty message");
            }
            if (r.message().getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
                throw new ServiceRejection("InvalidParameter", "Invalid parameter: Message too long");
            }
            if (r.subject() != null && !SUBJECT.matcher(r.subject()).matches()) {
                throw new ServiceRejection("InvalidParameter", "Invalid parameter: Subject must be ASCII text that"
                        + " begins with a letter, number, or punctuation mark; must not include line breaks or"
                        + " control characters; and must be less than 100 characters long.");
            }
            String id = UUID.randomUUID().toString();
            published.add(new Message(id, r.topicArn(), r.subject(), r.message(), aws.clock().instant()));
            return PublishResponse.builder().messageId(id).build();
        });
    }

    private <T> T op(String operation, Object request, Function<CallLog.Call, T> body) {
        CallLog.Call call = aws.enter(this, IAM_SERVICE, operation, request);
        try {
            return body.apply(call);
        } catch (ServiceRejection e) {
            throw aws.fail(this, call, e.code(), e.getMessage());
        }
    }

    // ---- SimService --------------------------------------------------------------------------------------------

    /** Topics belong to the stack, not to a build: only tagged ones are listed. */
    @Override
    public synchronized List<SimResource> inventory() {
        return topics.entrySet().stream()
                .filter(t -> t.getValue().containsKey(SimAws.BUILD_ID_TAG)
                        || t.getValue().containsKey(SimAws.MANAGED_TAG))
                .map(t -> new SimResource(region, IAM_SERVICE, "sns-topic", t.getKey(), "available",
                        Map.copyOf(t.getValue())))
                .toList();
    }

    @Override
    public AwsServiceException error(String code, String message) {
        return ERRORS.of(code, message);
    }
}
