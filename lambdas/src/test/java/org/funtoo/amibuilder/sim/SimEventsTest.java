package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;

class SimEventsTest {
    private final SimAws aws = new SimAws();
    private final SimEvents events = aws.events();

    private static PutEventsRequestEntry entry(String detail) {
        return PutEventsRequestEntry.builder().source("funtoo-ami-builder").detailType("AMI Build Succeeded")
                .detail(detail).resources("arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0").build();
    }

    @Test
    void acceptedEventIsRecordedOnTheDefaultBusWithAnIdAndTheCallTime() {
        PutEventsResponse response = events.putEvents(r -> r.entries(entry("{\"imageId\":\"ami-1\"}")));

        assertEquals(0, response.failedEntryCount());
        SimEvents.Event event = events.published().get(0);
        assertEquals(response.entries().get(0).eventId(), event.id());
        assertEquals("default", event.eventBusName());
        assertEquals("{\"imageId\":\"ami-1\"}", event.detail());
        assertEquals(aws.clock().instant(), event.time());
        CallLog.Call call = aws.calls().all().get(0);
        assertEquals("events:PutEvents", call.action());
        assertEquals("arn:aws:events:us-east-1:" + SimAws.ACCOUNT_ID + ":event-bus/default",
                call.resources().get(0).arn());
    }

    @Test
    void malformedOrIncompleteEntriesFailOneByOneWhileTheOthersAreAccepted() {
        PutEventsResponse response = events.putEvents(r -> r.entries(
                entry("{\"ok\":true}"),
                entry("not json"),
                entry("[1, 2]"),
                entry("{}").toBuilder().detailType(null).build(),
                entry("{}").toBuilder().source("aws.ec2").build()));

        assertEquals(4, response.failedEntryCount());
        assertNotNull(response.entries().get(0).eventId());
        assertEquals(List.of("MalformedDetail", "MalformedDetail", "InvalidArgument",
                        "NotAuthorizedForSourceException"),
                response.entries().subList(1, 5).stream().map(e -> e.errorCode()).toList());
        assertNull(response.entries().get(1).eventId());
        assertEquals(1, events.published().size());
    }

    @Test
    void moreThanTenEntriesOrNoneFailTheWholeRequest() {
        List<PutEventsRequestEntry> eleven = IntStream.range(0, 11).mapToObj(i -> entry("{}")).toList();
        EventBridgeException tooMany = assertThrows(EventBridgeException.class,
                () -> events.putEvents(r -> r.entries(eleven)));
        assertEquals("ValidationException", tooMany.awsErrorDetails().errorCode());
        assertThrows(EventBridgeException.class, () -> events.putEvents(r -> r.entries(List.of())));
        assertTrue(events.published().isEmpty());
    }

    @Test
    void entriesOverTwoHundredFiftySixKibibytesTogetherFailTheRequest() {
        String half = "{\"x\":\"" + "a".repeat(130 * 1024) + "\"}";
        EventBridgeException e = assertThrows(EventBridgeException.class,
                () -> events.putEvents(r -> r.entries(entry(half), entry(half))));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertEquals(0, events.putEvents(r -> r.entries(entry(half))).failedEntryCount());
    }

    @Test
    void unknownEventBusIsResourceNotFoundUntilCreated() {
        PutEventsRequestEntry onBus = entry("{}").toBuilder().eventBusName("builds").build();
        assertThrows(ResourceNotFoundException.class, () -> events.putEvents(r -> r.entries(onBus)));

        events.createEventBus("builds");

        assertEquals(0, events.putEvents(r -> r.entries(onBus)).failedEntryCount());
        assertEquals("builds", events.published().get(0).eventBusName());
    }

    @Test
    void injectedFaultFailsPutEventsWithoutRecordingAnything() {
        aws.faults().failNth("events", "PutEvents", 1, "ThrottlingException");
        EventBridgeException e = assertThrows(EventBridgeException.class,
                () -> events.putEvents(r -> r.entries(entry("{}"))));
        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertTrue(events.published().isEmpty());
    }

    @Test
    void failNextEntryRefusesOneValidEntryInASuccessfulResponse() {
        events.failNextEntry("InternalFailure");

        PutEventsResponse response = events.putEvents(r -> r.entries(entry("{}"), entry("{}")));

        assertEquals(1, response.failedEntryCount());
        assertEquals("InternalFailure", response.entries().get(0).errorCode());
        assertNotNull(response.entries().get(1).eventId());
        assertEquals(1, events.published().size());
    }
}
