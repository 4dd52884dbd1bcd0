package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;

class SimSnsTest {
    private final SimAws aws = new SimAws();
    private final SimSns sns = aws.sns();
    private final String topicArn = sns.createTopic(r -> r.name("builds")).topicArn();

    @Test
    void createTopicIsIdempotentByNameAndPublishRecordsTheMessage() {
        assertEquals("arn:aws:sns:us-east-1:" + SimAws.ACCOUNT_ID + ":builds", topicArn);
        assertEquals(topicArn, sns.createTopic(r -> r.name("builds")).topicArn());

        String id = sns.publish(r -> r.topicArn(topicArn).subject("build done").message("ami-1")).messageId();

        SimSns.Message message = sns.published().get(0);
        assertEquals(id, message.messageId());
        assertEquals("build done", message.subject());
        assertEquals("ami-1", message.message());
        CallLog.Call call = aws.calls().matching(c -> c.operation().equals("Publish")).get(0);
        assertEquals("sns:Publish", call.action());
        assertEquals(topicArn, call.resources().get(0).arn());
    }

    @Test
    void publishToATopicThatDoesNotExistHereIsNotFound() {
        assertThrows(NotFoundException.class, () -> sns.publish(r -> r.topicArn(topicArn.replace("builds", "gone"))
                .message("x")));
        assertThrows(NotFoundException.class, () -> aws.sns("eu-west-1").publish(r -> r
                .topicArn(topicArn.replace("us-east-1", "eu-west-1")).message("x")));
        assertThrows(NotFoundException.class, () -> aws.sns("eu-west-1").publish(r -> r.topicArn(topicArn)
                .message("x")));
        assertTrue(sns.published().isEmpty());
    }

    @Test
    void malformedTopicEmptyOrOversizedMessageAndBadSubjectsAreInvalidParameters() {
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn("builds").message("x")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.message("x")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn)
                .message("x".repeat(256 * 1024 + 1))));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("x")
                .subject("s".repeat(101))));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("x")
                .subject("two\nlines")));
        assertThrows(InvalidParameterException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("x")
                .subject(" leading space")));
        sns.publish(r -> r.topicArn(topicArn).message("x".repeat(256 * 1024)).subject("s".repeat(100)));
        assertEquals(1, sns.published().size());
    }

    @Test
    void injectedFaultFailsPublishWithoutSendingAnything() {
        aws.faults().failNth("sns", "Publish", 1, "Throttled");
        SnsException e = assertThrows(SnsException.class, () -> sns.publish(r -> r.topicArn(topicArn).message("x")));
        assertEquals("Throttled", e.awsErrorDetails().errorCode());
        assertTrue(sns.published().isEmpty());
    }
}
