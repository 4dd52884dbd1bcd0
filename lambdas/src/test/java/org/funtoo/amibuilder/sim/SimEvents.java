package org.funtoo.amibuilder.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Simulated EventBridge of one region, as far as the builder publishes to it: PutEvents onto the default bus (and
 * buses a test creates), with AWS's request rules (1–10 entries, the entries together under 256 KiB) and its
 * per-entry rules (Source, DetailType and Detail required, Detail a JSON object, no {@code aws.} sources), where a
 * failing entry does not fail the request but comes back with an ErrorCode. Accepted events are recorded for
 * tests ({@link #published}).
 */
public final class SimEvents implements EventBridgeClient, SimService {
    /** IAM's prefix for EventBridge actions ({@code events:PutEvents}). */
    private static final String IAM_SERVICE = "events";
    private static final ModeledErrors ERRORS = new ModeledErrors(EventBridgeException.class,
            EventBridgeException::builder, "EventBridge");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ENTRIES = 10;
    static final int MAX_REQUEST_BYTES = 256 * 1024;
    static final String DEFAULT_BUS = "default";

    /** An event as a rule on its bus would receive it. */
    public record Event(String id, String eventBusName, String source, String detailType, String detail,
                        List<String> resources, Instant time) {
    }

    private final SimAws aws;
    private final String region;
    private final Set<String> buses = new LinkedHashSet<>(List.of(DEFAULT_BUS));
    private final List<Event> published = new ArrayList<>();
    private final List<String> entryFailures = new ArrayList<>();

    SimEvents(SimAws aws, String region) {
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

    /** A custom event bus, as a stack would have created it. */
    public synchronized void createEventBus(String name) {
        buses.add(name);
    }

    /**
     * The next entry that would be accepted fails with {@code errorCode} instead ({@code InternalFailure},
     * {@code ThrottlingException}): EventBridge reports such failures per entry, in a response that succeeded.
     */
    public synchronized void failNextEntry(String errorCode) {
        entryFailures.add(errorCode);
    }

    /** Every event accepted so far, in order. */
    public synchronized List<Event> published() {
        return List.copyOf(published);
    }

    public String busArn(String name) {
        return "arn:aws:events:" + region + ":" + SimAws.ACCOUNT_ID + ":event-bus/" + name;
    }

    // ---- PutEvents ---------------------------------------------------------------------------------------------

    @Override
    public synchronized PutEventsResponse putEvents(PutEventsRequest r) {
        CallLog.Call call = aws.enter(this, IAM_SERVICE, "PutEvents", r);
        try {
            return putEvents(call, r);
        } catch (ServiceRejection e) {
            throw aws.fail(this, call, e.code(), e.getMessage());
        }
    }

    private PutEventsResponse putEvents(CallLog.Call call, PutEventsRequest r) {
        List<PutEventsRequestEntry> entries = r.entries();
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new ServiceRejection("ValidationException", "1 validation error detected: Value at 'entries' "
                    + "failed to satisfy constraint: Member must have length less than or equal to " + MAX_ENTRIES
                    + " and greater than or equal to 1");
        }
        long size = entries.stream().mapToLong(SimEvents::entrySize).sum();
        if (size > MAX_REQUEST_BYTES) {
            throw new ServiceRejection("ValidationException", "Total size of the entries in the request is over the"
                    + " limit (" + size + " > " + MAX_REQUEST_BYTES + " bytes).");
        }
        for (PutEventsRequestEntry e : entries) {
            String bus = busName(e.eventBusName());
            if (!buses.contains(bus)) {
                throw new ServiceRejection("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
            }
            call.touched(busArn(bus), Map.of());
        }
        List<PutEventsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutEventsRequestEntry e : entries) {
            String problem = entryProblem(e);
            if (problem == null && !entryFailures.isEmpty()) {
                failed++;
                String code = entryFailures.remove(0);
                results.add(PutEventsResultEntry.builder().errorCode(code)
                        .errorMessage("Entry failed (simulated " + code + ")").build());
                continue;
            }
            if (problem != null) {
                failed++;
                String code = problem.startsWith("Detail is malformed") ? "MalformedDetail"
                        : problem.startsWith("Not authorized") ? "NotAuthorizedForSourceException" : "InvalidArgument";
                results.add(PutEventsResultEntry.builder().errorCode(code).errorMessage(problem).build());
                continue;
            }
            String id = UUID.randomUUID().toString();
            published.add(new Event(id, busName(e.eventBusName()), e.source(), e.detailType(), e.detail(),
                    List.copyOf(e.resources()), e.time() != null ? e.time() : aws.clock().instant()));
            results.add(PutEventsResultEntry.builder().eventId(id).build());
        }
        return PutEventsResponse.builder().failedEntryCount(failed).entries(results).build();
    }

    private static String busName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return DEFAULT_BUS;
        }
        int slash = nameOrArn.lastIndexOf('/');
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }

    /** Why EventBridge would refuse this one entry, or null. */
    private static String entryProblem(PutEventsRequestEntry e) {
        for (var field : List.<Function<PutEventsRequestEntry, String>>of(PutEventsRequestEntry::source,
                PutEventsRequestEntry::detailType, PutEventsRequestEntry::detail)) {
            String value = field.apply(e);
            if (value == null || value.isBlank()) {
                return "Parameters Source, DetailType and Detail are required and must not be empty.";
            }
        }
        if (e.source().startsWith("aws.")) {
            return "Not authorized to put events with source " + e.source() + " (the aws. prefix is reserved).";
        }
        try {
            JsonNode detail = JSON.readTree(e.detail());
            if (detail == null || !detail.isObject()) {
                return "Detail is malformed: it must be a JSON object.";
            }
        } catch (JsonProcessingException ex) {
            return "Detail is malformed.";
        }
        return null;
    }

    /** EventBridge's documented entry size: Time 14 bytes, then the UTF-8 bytes of the strings. */
    static long entrySize(PutEventsRequestEntry e) {
        long size = e.time() != null ? 14 : 0;
        size += bytes(e.source()) + bytes(e.detailType()) + bytes(e.detail());
        for (String resource : e.resources()) {
            size += bytes(resource);
        }
        return size;
    }

    private static long bytes(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ---- SimService --------------------------------------------------------------------------------------------

    /** Buses belong to the stack, events to nobody: nothing a build leaves behind. */
    @Override
    public List<SimResource> inventory() {
        return List.of();
    }

    @Override
    public AwsServiceException error(String code, String message) {
        return ERRORS.of(code, message);
    }
}
