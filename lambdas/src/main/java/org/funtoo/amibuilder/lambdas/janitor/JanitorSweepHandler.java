package org.funtoo.amibuilder.lambdas.janitor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.teardown.OtherRegions;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

/**
 * The janitor's daily sweep (ARCHITECTURE.md, "The janitor"): for builds that ended within the lookback window and still own
 * tagged resources, start the cleanup state machine with {@code {"buildId": ...}}. It catches what the janitor rule
 * missed (an event that never arrived, a cleanup that failed); the cleanup itself stays in the state machine.
 *
 * <p>Not a workflow Task: its input is the schedule rule's {@link ScheduledEvent}, and it returns a summary
 * {@code {checked, withLeftovers, cleanupsStarted, buildIds}} ({@code buildIds}: the builds with leftovers). The
 * sweep counts from the event's {@code time}, when the schedule fired, not from when the function runs: EventBridge
 * retries a failed invocation, and a retry must look at the same window and give its cleanups the same day's names
 * (an event without a time, as from a hand-made invocation, counts from the clock).
 *
 * <p>EC2 is asked once per resource type for all candidate builds together (the build-id tag filter takes many
 * values), so the sweep costs the same few calls whether one build ended or a hundred. A succeeded build's image
 * and snapshot are its product, not leftovers. The images and snapshots of builds that did not succeed are looked
 * for in every other enabled region too (image copies of a build aborted after CopyImage): two calls per region
 * per 200 such builds. Cleanup executions have a name derived from the build and the UTC
 * day, so two sweeps on one day start one cleanup; a cleanup this sweep started that is still running is left alone.
 * A running cleanup started by the janitor rule has a name EventBridge chose, which {@code ListExecutions} cannot
 * tie to a build; the cleanup is idempotent, so running twice costs time, not correctness.
 */
public final class JanitorSweepHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    public static final String BUILD_STATE_MACHINE_ARN = "BUILD_STATE_MACHINE_ARN";
    public static final String CLEANUP_STATE_MACHINE_ARN = "CLEANUP_STATE_MACHINE_ARN";
    public static final String SWEEP_LOOKBACK_DAYS = "SWEEP_LOOKBACK_DAYS";
    private static final int EXECUTIONS_PER_PAGE = 100;
    private static final String NAME_PREFIX = "sweep-";
    /** Readable part of a cleanup's name; the hash after it keeps names of long build ids apart. */
    private static final int NAME_BUILD_ID_CHARS = 40;
    private static final Set<ExecutionStatus> ENDED = Set.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
            ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED);
    private static final Filter NOT_TERMINATED =
            Tags.filter("instance-state-name", "pending", "running", "shutting-down", "stopping", "stopped");
    private static final Filter MANAGED = Tags.filter("tag:" + Tags.MANAGED, "true");

    private record EndedBuild(String id, boolean succeeded) {
    }

    private final Function<String, Ec2Client> ec2ByRegion;
    private final String homeRegion;
    private final SfnClient sfn;
    private final Clock clock;
    private final String buildStateMachineArn;
    private final String cleanupStateMachineArn;
    private final Duration lookback;

    public JanitorSweepHandler() {
        this(HandlerDependencies.lambda());
    }

    /** The builds' region is the function's own; the state machines and the lookback are the stack's settings. */
    public JanitorSweepHandler(HandlerDependencies deps) {
        int lookbackDays = Integer.parseInt(deps.require(SWEEP_LOOKBACK_DAYS));
        if (lookbackDays < 1) {
            throw new IllegalArgumentException(SWEEP_LOOKBACK_DAYS + " must be at least 1 (got " + lookbackDays + ")");
        }
        this.ec2ByRegion = deps.ec2ByRegion();
        this.homeRegion = deps.region();
        this.sfn = deps.sfn();
        this.clock = deps.clock();
        this.buildStateMachineArn = deps.require(BUILD_STATE_MACHINE_ARN);
        this.cleanupStateMachineArn = deps.require(CLEANUP_STATE_MACHINE_ARN);
        this.lookback = Duration.ofDays(lookbackDays);
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent scheduled, Context context) {
        Instant now = scheduled == null || scheduled.getTime() == null ? clock.instant()
                : Instant.ofEpochMilli(scheduled.getTime().getMillis());
        List<EndedBuild> ended = endedBuilds(now.minus(lookback));
        List<String> withLeftovers = withLeftovers(ended);
        int started = withLeftovers.isEmpty() ? 0 : startCleanups(withLeftovers, now);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("checked", ended.size());
        summary.put("withLeftovers", withLeftovers.size());
        summary.put("cleanupsStarted", started);
        summary.put("buildIds", withLeftovers);
        return summary;
    }

    /**
     * Builds that started after {@code since} and have ended, newest first. The listing is newest first too, so
     * paging stops at the first older execution. A build runs for hours and the sweep is daily, so every ended
     * build is looked at on several days before it leaves the window.
     */
    private List<EndedBuild> endedBuilds(Instant since) {
        List<EndedBuild> ended = new ArrayList<>();
        for (ListExecutionsResponse page : sfn.listExecutionsPaginator(r -> r.stateMachineArn(buildStateMachineArn)
                .maxResults(EXECUTIONS_PER_PAGE))) {
            for (ExecutionListItem execution : page.executions()) {
                if (execution.startDate().isBefore(since)) {
                    return ended;
                }
                if (ENDED.contains(execution.status())) {
                    ended.add(new EndedBuild(execution.name(), execution.status() == ExecutionStatus.SUCCEEDED));
                }
            }
        }
        return ended;
    }

    /** The builds (in {@code ended}'s order) that still own a managed resource. */
    private List<String> withLeftovers(List<EndedBuild> ended) {
        List<String> all = ended.stream().map(EndedBuild::id).toList();
        List<String> unsucceeded = ended.stream().filter(b -> !b.succeeded()).map(EndedBuild::id).toList();
        Ec2Client ec2 = ec2ByRegion.apply(homeRegion);
        Set<String> owners = new HashSet<>();
        owners.addAll(owners(all, List.of(MANAGED, NOT_TERMINATED), f -> ec2.describeInstancesPaginator(r -> r
                .filters(f)).reservations().stream().flatMap(r -> r.instances().stream()), Instance::tags));
        owners.addAll(owners(all, List.of(MANAGED), f -> ec2.describeVolumesPaginator(r -> r.filters(f)).volumes().stream(),
                Volume::tags));
        owners.addAll(owners(all, List.of(MANAGED), f -> ec2.describeSecurityGroupsPaginator(r -> r.filters(f)).securityGroups()
                .stream(), SecurityGroup::tags));
        owners.addAll(owners(all, List.of(MANAGED), f -> ec2.describeSubnetsPaginator(r -> r.filters(f)).subnets().stream(),
                Subnet::tags));
        owners.addAll(owners(all, List.of(MANAGED), f -> ec2.describeRouteTablesPaginator(r -> r.filters(f)).routeTables().stream(),
                RouteTable::tags));
        owners.addAll(owners(all, List.of(MANAGED), f -> ec2.describeInternetGatewaysPaginator(r -> r.filters(f)).internetGateways()
                .stream(), InternetGateway::tags));
        owners.addAll(owners(all, List.of(MANAGED), f -> ec2.describeVpcsPaginator(r -> r.filters(f)).vpcs().stream(), Vpc::tags));
        owners.addAll(imageOwners(ec2, unsucceeded));
        // a build with leftovers at home gets its cleanup anyway, and the cleanup searches every region itself
        List<String> notYetFound = unsucceeded.stream().filter(id -> !owners.contains(id)).toList();
        if (!notYetFound.isEmpty()) {
            for (String region : OtherRegions.of(ec2, homeRegion)) {
                Ec2Client there = ec2ByRegion.apply(region);
                owners.addAll(OtherRegions.searchUnlessClosed(() -> imageOwners(there, notYetFound), Set.of()));
            }
        }
        return all.stream().filter(owners::contains).toList();
    }

    /** Which of {@code buildIds} own a managed image or snapshot in {@code ec2}'s region. */
    private static Set<String> imageOwners(Ec2Client ec2, List<String> buildIds) {
        Set<String> owners = new HashSet<>();
        owners.addAll(owners(buildIds, List.of(MANAGED), f -> ec2.describeImagesPaginator(r -> r.owners("self").filters(f))
                .images().stream(), Image::tags));
        owners.addAll(owners(buildIds, List.of(MANAGED), f -> ec2.describeSnapshotsPaginator(r -> r.ownerIds("self").filters(f))
                .snapshots().stream(), Snapshot::tags));
        return owners;
    }

    /**
     * Which of {@code buildIds} own a managed resource of one type: one Describe per chunk of builds, the chunk
     * as large as the call's 200 filter values allow beside {@code others} (the managed marker, instance states).
     */
    private static <T> Set<String> owners(List<String> buildIds, List<Filter> others,
                                          Function<List<Filter>, Stream<T>> describe, Function<T, List<Tag>> tags) {
        Set<String> owners = new HashSet<>();
        // execution names cannot hold '*' or '?', so no build id is taken as a wildcard pattern
        for (List<String> chunk : Tags.filterSized(buildIds, others)) {
            describe.apply(Stream.concat(Stream.of(Tags.filter("tag:" + Tags.BUILD_ID, chunk)), others.stream())
                            .toList())
                    .forEach(resource -> Tags.value(tags.apply(resource), Tags.BUILD_ID).ifPresent(owners::add));
        }
        return owners;
    }

    private int startCleanups(List<String> buildIds, Instant now) {
        Set<String> running = runningCleanups();
        String day = LocalDate.ofInstant(now, ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
        int started = 0;
        for (String buildId : buildIds) {
            String prefix = cleanupNamePrefix(buildId);
            if (running.stream().noneMatch(name -> name.startsWith(prefix)) && startCleanup(buildId, prefix + day)) {
                started++;
            }
        }
        return started;
    }

    private Set<String> runningCleanups() {
        return sfn.listExecutionsPaginator(r -> r.stateMachineArn(cleanupStateMachineArn)
                        .statusFilter(ExecutionStatus.RUNNING).maxResults(EXECUTIONS_PER_PAGE))
                .executions().stream().map(ExecutionListItem::name).collect(Collectors.toSet());
    }

    /** @return false if today's cleanup of this build has already run (its name is taken) */
    private boolean startCleanup(String buildId, String executionName) {
        // an execution name cannot contain '"', '\' or control characters, so it is a JSON string as it is
        String input = "{\"buildId\":\"" + buildId + "\"}";
        try {
            sfn.startExecution(r -> r.stateMachineArn(cleanupStateMachineArn).name(executionName).input(input));
            return true;
        } catch (ExecutionAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * {@code sweep-<build id, up to 40 name characters>-<hash>-}, to which the UTC day {@code yyyymmdd} is added:
     * at most 68 characters of {@code [A-Za-z0-9_-]}, within Step Functions' 80.
     */
    static String cleanupNamePrefix(String buildId) {
        String readable = buildId.replaceAll("[^A-Za-z0-9_-]", "");
        readable = readable.substring(0, Math.min(readable.length(), NAME_BUILD_ID_CHARS));
        return NAME_PREFIX + (readable.isEmpty() ? "" : readable + "-") + hash(buildId) + "-";
    }

    private static String hash(String buildId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(buildId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
