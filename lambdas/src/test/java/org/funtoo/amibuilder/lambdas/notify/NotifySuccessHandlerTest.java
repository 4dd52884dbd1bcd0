package org.funtoo.amibuilder.lambdas.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.publish.CopyImageHandlerTest;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.SimEvents;
import org.funtoo.amibuilder.sim.SimSns;
import org.junit.jupiter.api.Test;

class NotifySuccessHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Fixture f = new Fixture("{\"publish\":{\"copyToRegions\":[\"eu-west-1\"]}}");
    private final String topicArn = f.aws.sns().createTopic(r -> r.name("builds")).topicArn();
    private final NotifySuccessHandler handler = new NotifySuccessHandler(
            f.deps(Env.NOTIFICATION_TOPIC_ARN, topicArn));

    @Test
    void eventAndMessageCarryTheImageItsCopyItsParameterAndTheDuration() throws Exception {
        Map<String, Object> resources = f.copiesAvailable();
        String imageId = (String) resources.get(Resources.IMAGE_ID);
        String copyId = CopyImageHandlerTest.copies(resources).get("eu-west-1");
        long seconds = Duration.between(Instant.parse((String) f.config().get("startedAt")),
                f.aws.clock().instant()).getSeconds();

        Map<String, Object> out = handler.handleRequest(f.doc(resources), null);

        SimEvents.Event event = f.aws.events().published().get(0);
        assertEquals(out.get("eventId"), event.id());
        assertEquals("funtoo-ami-builder", event.source());
        assertEquals("AMI Build Succeeded", event.detailType());
        assertEquals("default", event.eventBusName());
        assertEquals(List.of("arn:aws:ec2:us-east-1::image/" + imageId, "arn:aws:ec2:eu-west-1::image/" + copyId),
                event.resources());
        JsonNode detail = JSON.readTree(event.detail());
        assertEquals("SUCCEEDED", detail.path("status").asText());
        assertEquals(Fixture.BUILD_ID, detail.path("buildId").asText());
        assertEquals(imageId, detail.path("imageId").asText());
        assertEquals(((Map<?, ?>) f.config().get("image")).get("name"), detail.path("imageName").asText());
        assertEquals("us-east-1", detail.path("region").asText());
        assertEquals(copyId, detail.path("copies").path("eu-west-1").asText());
        assertEquals("/funtoo-ami-builder/funtoo/x86_64/latest", detail.path("ssmParameter").asText());
        assertEquals(seconds, detail.path("buildSeconds").asLong());

        SimSns.Message message = f.aws.sns().published().get(0);
        assertEquals(out.get("messageId"), message.messageId());
        assertTrue(message.subject().startsWith("funtoo-ami-builder: funtoo-next-x86_64-"), message.subject());
        assertTrue(message.subject().endsWith(" is " + imageId), message.subject());
        for (String essential : List.of(imageId, "us-east-1", copyId + " in eu-west-1",
                "/funtoo-ami-builder/funtoo/x86_64/latest", Notification.duration(seconds))) {
            assertTrue(message.message().contains(essential), () -> essential + " missing from " + message.message());
        }
    }

    @Test
    void retentionThatFailedAfterPublishingIsMentioned() throws Exception {
        Map<String, Object> doc = f.doc(f.smokeTested());
        doc.put("retentionError", Map.of("Error", "software.amazon.awssdk.services.ec2.model.Ec2Exception",
                "Cause", "RequestLimitExceeded"));

        handler.handleRequest(doc, null);

        assertTrue(JSON.readTree(f.aws.events().published().get(0).detail()).path("retentionError").asText()
                .endsWith("Ec2Exception: RequestLimitExceeded"));
        assertTrue(f.aws.sns().published().get(0).message().contains("Older images were not all removed"));
    }

    @Test
    void refusedEventIsAnAwsErrorForTheRetryAndNoMessageGoesOut() {
        Map<String, Object> resources = f.smokeTested();
        f.aws.events().failNextEntry("InternalFailure");

        Expect.retried(ErrorName.AwsTransient, "InternalFailure", () -> handler.handleRequest(f.doc(resources), null));

        assertTrue(f.aws.sns().published().isEmpty());
    }

    @Test
    void missingTopicIsTheSnsError() {
        Map<String, Object> resources = f.smokeTested();
        NotifySuccessHandler wrongTopic = new NotifySuccessHandler(
                f.deps(Env.NOTIFICATION_TOPIC_ARN, topicArn.replace("builds", "gone")));
        Expect.named(ErrorName.PublishFailed, "NotFound", () -> wrongTopic.handleRequest(f.doc(resources), null));
    }

    @Test
    void durationReadsLikeAPersonWouldSayIt() {
        assertEquals("45 s", Notification.duration(45));
        assertEquals("12 min 05 s", Notification.duration(725));
        assertEquals("1 h 02 min 03 s", Notification.duration(3723));
    }

    @Test
    void longSubjectIsCutToSnssHundredCharacters() {
        Notification n = new Notification("t", Map.of(), List.of(), "x".repeat(150), "text");
        assertEquals(100, n.subject().length());
        assertTrue(n.subject().endsWith("..."));
    }
}
