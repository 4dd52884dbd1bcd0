package org.funtoo.amibuilder.lambdas.janitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Json;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.image.CreateSnapshotHandler;
import org.funtoo.amibuilder.lambdas.image.RegisterImageHandler;
import org.funtoo.amibuilder.lambdas.network.CreateVpcHandler;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.CallLog;
import org.funtoo.amibuilder.sim.LambdaEvents;
import org.funtoo.amibuilder.sim.SimAws;
import org.funtoo.amibuilder.sim.SimSfn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;

class JanitorSweepHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOOKBACK_DAYS = 7;
    private static final int TYPES_ALWAYS_ASKED = 7;
    private static final int TYPES_OF_FAILED_BUILDS = 2;
    /** The account's enabled regions but the home region, where copies of builds that did not succeed may be. */
    private static final int OTHER_REGIONS = 16;
    /** Home: every type; then DescribeRegions; then images and snapshots in every other region. */
    private static final int DESCRIBES_PER_CHUNK_OF_FAILED_BUILDS =
            TYPES_ALWAYS_ASKED + TYPES_OF_FAILED_BUILDS + OTHER_REGIONS * TYPES_OF_FAILED_BUILDS;

    private final Fixture f = new Fixture();
    private final SimAws aws = f.aws;
    private final SimSfn sfn = aws.sfn();
    private final String buildMachine = sfn.createStateMachine("FuntooAmiBuilder");
    private final String cleanupMachine = sfn.createStateMachine("FuntooAmiBuilderCleanup");
    /** EC2 Describe calls by region, counted on the clients the sweep gets. */
    private final Map<String, Integer> describesByRegion = new TreeMap<>();
    private final JanitorSweepHandler handler = new JanitorSweepHandler(sweepDeps(LOOKBACK_DAYS).toBuilder()
            .ec2(this::countingEc2).build());

    @ParameterizedTest
    @EnumSource(value = ExecutionStatus.class, names = {"FAILED", "ABORTED", "TIMED_OUT"})
    void buildThatDidNotSucceedAndLeftItsHelperAndNetworkGetsItsCleanup(ExecutionStatus status) {
        build(Fixture.BUILD_ID, status, f::helperOnline);

        Map<String, Object> summary = sweep();

        assertSummary(summary, 1, 1, 1, List.of(Fixture.BUILD_ID));
        ExecutionListItem cleanup = onlyCleanup();
        assertTrue(cleanup.name().matches("sweep-build-0001-[0-9a-f]{12}-20260101"), cleanup.name());
        assertEquals(Map.of("buildId", Fixture.BUILD_ID), input(cleanup));
        assertEquals(ExecutionStatus.RUNNING, cleanup.status());
    }

    @Test
    void failedBuildsImageAndSnapshotAreLeftovers() {
        build("failed-image", ExecutionStatus.FAILED, () -> imageWithSnapshot("failed-image"));
        assertSummary(sweep(), 1, 1, 1, List.of("failed-image"));
        assertEquals(Map.of("buildId", "failed-image"), input(onlyCleanup()));
    }

    @Test
    void succeededBuildWithOnlyItsImageAndSnapshotLeftStartsNothing() {
        build("shipped", ExecutionStatus.SUCCEEDED, () -> imageWithSnapshot("shipped"));
        assertSummary(sweep(), 1, 0, 0, List.of());
        assertEquals(0, aws.calls().count("states", "StartExecution"));
    }

    @ParameterizedTest
    @EnumSource(value = ExecutionStatus.class, names = {"FAILED", "ABORTED", "TIMED_OUT"})
    void copyInAnotherRegionOfABuildThatDidNotSucceedIsALeftover(ExecutionStatus status) {
        build("aborted-after-copy", status, () -> imageWithSnapshot("ap-southeast-2", "aborted-after-copy"));

        assertSummary(sweep(), 1, 1, 1, List.of("aborted-after-copy"));
        assertEquals(Map.of("buildId", "aborted-after-copy"), input(onlyCleanup()));
        assertEquals(null, ((DescribeRegionsRequest) aws.calls().matching(c -> c.operation()
                .equals("DescribeRegions")).get(0).request()).allRegions(), "enabled regions only");
    }

    @Test
    void succeededBuildsCopiesAreItsProductAndNoOtherRegionIsAsked() {
        build("shipped", ExecutionStatus.SUCCEEDED, () -> {
            imageWithSnapshot("shipped");
            imageWithSnapshot("eu-west-1", "shipped");
        });

        assertSummary(sweep(), 1, 0, 0, List.of());
        assertEquals(0, aws.calls().count("ec2", "DescribeRegions"));
        assertEquals(Set.of(SimAws.HOME_REGION), describesByRegion.keySet());
    }

    @Test
    void otherRegionsAreNotAskedAboutABuildAlreadyFoundAtHome() {
        build("crashed", ExecutionStatus.FAILED, () -> vpc("crashed"));

        assertSummary(sweep(), 1, 1, 1, List.of("crashed"));
        assertEquals(0, aws.calls().count("ec2", "DescribeRegions"), "its cleanup searches every region itself");
    }

    @Test
    void aRegionClosedToTheSweepIsSkippedAndTheOthersAreStillSearched() {
        build("aborted-after-copy", ExecutionStatus.ABORTED, () -> imageWithSnapshot("eu-west-1",
                "aborted-after-copy"));
        // the home region's DescribeImages is the first, us-east-2's (the first other region) the second
        aws.faults().failNth("ec2", "DescribeImages", 2, "UnauthorizedOperation");

        assertSummary(sweep(), 1, 1, 1, List.of("aborted-after-copy"));
        assertEquals("UnauthorizedOperation", aws.calls().matching(c -> c.operation().equals("DescribeImages"))
                .get(1).errorCode());
    }

    @Test
    void succeededBuildWithALeftoverVpcGetsItsCleanup() {
        build("shipped", ExecutionStatus.SUCCEEDED, () -> {
            imageWithSnapshot("shipped");
            vpc("shipped");
        });
        assertSummary(sweep(), 1, 1, 1, List.of("shipped"));
        assertEquals(Map.of("buildId", "shipped"), input(onlyCleanup()));
    }

    @Test
    void runningBuildIsLeftAlone() {
        build("still-building", ExecutionStatus.RUNNING, () -> vpc("still-building"));
        assertSummary(sweep(), 0, 0, 0, List.of());
        assertEquals(0, aws.calls().count("states", "StartExecution"));
    }

    @Test
    void buildsThatStartedBeforeTheLookbackWindowAreIgnored() {
        build("eight-days-ago", ExecutionStatus.FAILED, () -> vpc("eight-days-ago"));
        aws.clock().advance(Duration.ofDays(LOOKBACK_DAYS).plusHours(1));
        build("this-week", ExecutionStatus.FAILED, () -> vpc("this-week"));
        aws.clock().advance(Duration.ofDays(LOOKBACK_DAYS).minusHours(2));

        assertSummary(sweep(), 1, 1, 1, List.of("this-week"));
        assertEquals(Map.of("buildId", "this-week"), input(onlyCleanup()));
    }

    @Test
    void secondSweepOnTheSameDayStartsNoSecondCleanupButTheNextDaysDoes() {
        build("crashed", ExecutionStatus.FAILED, () -> vpc("crashed"));
        assertSummary(sweep(), 1, 1, 1, List.of("crashed"));
        // the cleanup gave up and left the VPC behind
        sfn.endExecution(onlyCleanup().executionArn(), ExecutionStatus.FAILED);
        aws.clock().advance(Duration.ofHours(3));

        assertSummary(sweep(), 1, 1, 0, List.of("crashed"));
        assertEquals(1, cleanups().size());
        assertEquals("ExecutionAlreadyExists", lastStartExecution().errorCode());

        aws.clock().advance(Duration.ofDays(1));
        assertSummary(sweep(), 1, 1, 1, List.of("crashed"));
        assertEquals(2, cleanups().size());
        assertTrue(cleanups().get(0).name().endsWith("-20260102"), cleanups().get(0).name());
    }

    @Test
    void cleanupStillRunningFromYesterdaysSweepIsNotStartedAgain() {
        build("stuck", ExecutionStatus.FAILED, () -> vpc("stuck"));
        sweep();
        aws.clock().advance(Duration.ofDays(1));
        build("other", ExecutionStatus.ABORTED, () -> vpc("other"));

        assertSummary(sweep(), 2, 2, 1, List.of("other", "stuck"));
        assertEquals(1, aws.calls().matching(c -> c.operation().equals("ListExecutions")
                && ((ListExecutionsRequest) c.request()).stateMachineArn().equals(cleanupMachine)).size(),
                "running cleanups are listed once per sweep");
        assertEquals(1, aws.calls().count("states", "StartExecution"), "the stuck build's cleanup is not asked for");
        assertEquals(2, cleanups().size());
        assertEquals(Map.of("buildId", "other"), input(cleanups().get(0)));
        assertEquals(Map.of("buildId", "stuck"), input(cleanups().get(1)));
        assertEquals(ExecutionStatus.RUNNING, cleanups().get(1).status());
    }

    @Test
    void resourcesWithASimilarNameButNotTheBuildersTagsAreIgnored() {
        build("lookalike", ExecutionStatus.FAILED, () -> {
            aws.ec2().createVpc(r -> r.cidrBlock("10.9.0.0/16").tagSpecifications(t -> t.resourceType(ResourceType.VPC)
                    .tags(tag(Tags.NAME, Tags.name("lookalike", CreateVpcHandler.PURPOSE)))));
            aws.ec2().createVolume(r -> r.availabilityZone(SimAws.HOME_REGION + "a").size(8)
                    .tagSpecifications(t -> t.resourceType(ResourceType.VOLUME).tags(tag(Tags.BUILD_ID, "lookalike"),
                            tag(Tags.NAME, Tags.name("lookalike", "target")))));
        });
        assertSummary(sweep(), 1, 0, 0, List.of());
        assertEquals(0, aws.calls().count("states", "StartExecution"));
    }

    @Test
    void pagesThroughExecutionsAndStopsAtTheFirstOneOlderThanTheWindow() {
        // 100 executions a page: the first two hold the 150 recent builds, the next two only old ones
        IntStream.range(0, 250).forEach(i -> build("old-" + i, ExecutionStatus.FAILED, () -> { }));
        aws.clock().advance(Duration.ofDays(LOOKBACK_DAYS));
        build("recent-0", ExecutionStatus.FAILED, () -> vpc("recent-0"));
        IntStream.range(1, 150).forEach(i -> build("recent-" + i, ExecutionStatus.FAILED, () -> { }));

        assertSummary(sweep(), 150, 1, 1, List.of("recent-0"));
        assertEquals(2, aws.calls().matching(c -> c.operation().equals("ListExecutions")
                && ((ListExecutionsRequest) c.request()).stateMachineArn().equals(buildMachine)).size(),
                "the second page reaches the old builds; the two pages after it are never read");
    }

    @Test
    void ec2DescribeCallsDoNotGrowWithTheNumberOfBuilds() {
        build("first", ExecutionStatus.FAILED, () -> vpc("first"));
        IntStream.range(0, 2).forEach(i -> build("few-" + i, ExecutionStatus.FAILED, () -> { }));
        assertSummary(sweep(), 3, 1, 1, List.of("first"));
        long few = ec2Describes().size();

        IntStream.range(0, 146).forEach(i -> build("many-" + i, ExecutionStatus.TIMED_OUT, () -> { }));
        build("last", ExecutionStatus.FAILED, () -> volume("last"));
        assertSummary(sweep(), 150, 2, 1, List.of("last", "first"));

        assertEquals(DESCRIBES_PER_CHUNK_OF_FAILED_BUILDS + 1, few,
                "one Describe per resource type and region, and DescribeRegions");
        assertEquals(few, ec2Describes().size());
    }

    @Test
    void moreBuildsThanOneCallTakesAreAskedForInChunksThatKeepTheCallsFilterValuesAt200() {
        build("oldest", ExecutionStatus.FAILED, () -> vpc("oldest"));
        IntStream.range(0, 448).forEach(i -> build("mid-" + i, ExecutionStatus.ABORTED, () -> { }));
        build("newest", ExecutionStatus.FAILED, () -> vpc("newest"));

        assertSummary(sweep(), 450, 2, 2, List.of("newest", "oldest"));

        List<CallLog.Call> describes = ec2Describes();
        assertEquals(3 * DESCRIBES_PER_CHUNK_OF_FAILED_BUILDS + 1, describes.size(), "450 ids: 3 chunks");
        for (CallLog.Call call : describes) {
            // EC2 counts the values of all filters of a call together (FilterLimitExceeded above 200)
            assertTrue(filters(call).stream().mapToInt(f -> f.values().size()).sum() <= Tags.MAX_FILTER_VALUES,
                    call::toString);
        }
        assertEquals(OTHER_REGIONS + 1, describesByRegion.size());
        describesByRegion.forEach((region, calls) -> assertEquals(region.equals(SimAws.HOME_REGION)
                ? 3 * (TYPES_ALWAYS_ASKED + TYPES_OF_FAILED_BUILDS) + 1 : 3 * TYPES_OF_FAILED_BUILDS, calls, region));
    }

    @Test
    void awsExampleScheduledEventReadsAsTheRuntimeReadsIt() {
        ScheduledEvent event = LambdaEvents.read(ScheduledEvent.class,
                Json.write(LambdaEvents.example(LambdaEvents.SCHEDULED_EVENT_EXAMPLE)));
        assertEquals("Scheduled Event", event.getDetailType());
        assertEquals("aws.events", event.getSource());
        assertEquals(Instant.parse("2015-10-08T16:53:06Z").toEpochMilli(), event.getTime().getMillis());
        assertEquals(List.of("arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"), event.getResources());
    }

    @Test
    void aRetriedSweepCountsFromWhenTheScheduleFiredNotFromWhenItRuns() {
        build("crashed", ExecutionStatus.FAILED, () -> vpc("crashed"));
        Instant fired = aws.clock().instant();
        ScheduledEvent event = LambdaEvents.scheduledAt(fired);
        assertSummary(handler.handleRequest(event, null), 1, 1, 1, List.of("crashed"));
        sfn.endExecution(onlyCleanup().executionArn(), ExecutionStatus.FAILED);

        // EventBridge delivers the same event again a day later: same window, same day's cleanup name
        aws.clock().advance(Duration.ofDays(1));
        aws.calls().clear();
        assertSummary(handler.handleRequest(event, null), 1, 1, 0, List.of("crashed"));
        assertEquals("ExecutionAlreadyExists", lastStartExecution().errorCode());
        assertEquals(1, cleanups().size());
    }

    @Test
    void sweepWithoutEndedBuildsAsksEc2Nothing() {
        build("still-building", ExecutionStatus.RUNNING, () -> { });
        aws.calls().clear();
        assertSummary(handler.handleRequest(LambdaEvents.read(ScheduledEvent.class, "{}"), null), 0, 0, 0, List.of());
        assertEquals(0, ec2Describes().size());
    }

    @Test
    void cleanupNameIsAValidExecutionNameAndDistinctForBuildIdsThatShareTheirStart() {
        String longId = "nightly-funtoo-next-x86_64-" + "0".repeat(40) + "-a";
        String otherLongId = "nightly-funtoo-next-x86_64-" + "0".repeat(40) + "-b";
        String prefix = JanitorSweepHandler.cleanupNamePrefix(longId);
        assertTrue((prefix + "20260101").matches("[A-Za-z0-9_-]{1,80}"), prefix);
        assertNotEquals(prefix, JanitorSweepHandler.cleanupNamePrefix(otherLongId));
        assertEquals(prefix, JanitorSweepHandler.cleanupNamePrefix(longId));
        assertTrue(JanitorSweepHandler.cleanupNamePrefix("bäu.1").matches("sweep-bu1-[0-9a-f]{12}-"));
    }

    @Test
    void lookbackOfLessThanADayIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new JanitorSweepHandler(sweepDeps(0)));
    }

    /** The sweep's settings as the stack gives them, with the state machines of this account. */
    private HandlerDependencies sweepDeps(int lookbackDays) {
        return f.deps().toBuilder()
                .setting(JanitorSweepHandler.BUILD_STATE_MACHINE_ARN, buildMachine)
                .setting(JanitorSweepHandler.CLEANUP_STATE_MACHINE_ARN, cleanupMachine)
                .setting(JanitorSweepHandler.SWEEP_LOOKBACK_DAYS, Integer.toString(lookbackDays))
                .build();
    }

    // ---- an account with builds in it --------------------------------------------------------------------------

    /** A build execution that made what {@code makes} makes in ten minutes, then ended with {@code status}. */
    private void build(String buildId, ExecutionStatus status, Runnable makes) {
        String arn = sfn.startExecution(r -> r.stateMachineArn(buildMachine).name(buildId).input("{}"))
                .executionArn();
        makes.run();
        aws.clock().advance(Duration.ofMinutes(10));
        if (status != ExecutionStatus.RUNNING) {
            sfn.endExecution(arn, status);
        }
    }

    private void vpc(String buildId) {
        aws.ec2().createVpc(r -> r.cidrBlock("10.0.0.0/16")
                .tagSpecifications(Tags.spec(ResourceType.VPC, buildId, CreateVpcHandler.PURPOSE)));
    }

    private String volume(String buildId) {
        return volume(SimAws.HOME_REGION, buildId);
    }

    private String volume(String region, String buildId) {
        return aws.ec2(region).createVolume(r -> r.availabilityZone(region + "a").size(8)
                .tagSpecifications(Tags.spec(ResourceType.VOLUME, buildId, "target"))).volumeId();
    }

    /** What a build leaves once its helper and network are gone: the registered image and the snapshot under it. */
    private void imageWithSnapshot(String buildId) {
        imageWithSnapshot(SimAws.HOME_REGION, buildId);
    }

    /** The build's image and its snapshot in {@code region} (elsewhere than home: what a copy leaves). */
    private void imageWithSnapshot(String region, String buildId) {
        Ec2Client ec2 = aws.ec2(region);
        String volumeId = volume(region, buildId);
        aws.clock().advance(aws.timings().volumeCreating);
        String snapshotId = ec2.createSnapshot(r -> r.volumeId(volumeId)
                .tagSpecifications(Tags.spec(ResourceType.SNAPSHOT, buildId, CreateSnapshotHandler.PURPOSE)))
                .snapshotId();
        aws.clock().advance(aws.timings().snapshot.plusSeconds(1));
        ec2.registerImage(r -> r.name("funtoo-next-x86_64-" + buildId).architecture("x86_64")
                .rootDeviceName("/dev/xvda").virtualizationType("hvm").enaSupport(true)
                .blockDeviceMappings(m -> m.deviceName("/dev/xvda").ebs(e -> e.snapshotId(snapshotId)))
                .tagSpecifications(Tags.spec(ResourceType.IMAGE, buildId, RegisterImageHandler.PURPOSE)));
        ec2.deleteVolume(r -> r.volumeId(volumeId));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    // ---- running the sweep and looking at what it did ----------------------------------------------------------

    /** One sweep; the call log (and {@link #describesByRegion}) then hold its calls only. */
    private Map<String, Object> sweep() {
        aws.calls().clear();
        describesByRegion.clear();
        // the schedule fires now: the event's time is the simulated clock's
        return handler.handleRequest(LambdaEvents.scheduledAt(aws.clock().instant()), null);
    }

    /** The region's client, counting its Describe calls (a paginator: one call, as nothing sets MaxResults). */
    private Ec2Client countingEc2(String region) {
        Ec2Client target = aws.ec2(region);
        return (Ec2Client) Proxy.newProxyInstance(Ec2Client.class.getClassLoader(), new Class<?>[] {Ec2Client.class},
                (proxy, method, args) -> {
                    if (method.getName().startsWith("describe")) {
                        describesByRegion.merge(region, 1, Integer::sum);
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void assertSummary(Map<String, Object> summary, int checked, int withLeftovers,
                                      int cleanupsStarted, List<String> buildIds) {
        assertEquals(Map.of("checked", checked, "withLeftovers", withLeftovers, "cleanupsStarted", cleanupsStarted,
                "buildIds", buildIds), summary);
    }

    /** Executions of the cleanup state machine, newest first. */
    private List<ExecutionListItem> cleanups() {
        return sfn.listExecutions(r -> r.stateMachineArn(cleanupMachine)).executions();
    }

    private ExecutionListItem onlyCleanup() {
        List<ExecutionListItem> cleanups = cleanups();
        assertEquals(1, cleanups.size(), cleanups::toString);
        return cleanups.get(0);
    }

    private Map<?, ?> input(ExecutionListItem execution) {
        try {
            return JSON.readValue(sfn.describeExecution(r -> r.executionArn(execution.executionArn())).input(),
                    Map.class);
        } catch (IOException e) {
            throw new AssertionError("cleanup input is not JSON", e);
        }
    }

    private CallLog.Call lastStartExecution() {
        List<CallLog.Call> starts = aws.calls().matching(c -> c.operation().equals("StartExecution"));
        return starts.get(starts.size() - 1);
    }

    private List<CallLog.Call> ec2Describes() {
        return aws.calls().matching(c -> c.service().equals("ec2") && c.operation().startsWith("Describe"));
    }

    @SuppressWarnings("unchecked")
    private static List<Filter> filters(CallLog.Call call) {
        return ((SdkRequest) call.request()).getValueForField("Filters", List.class).orElse(List.of());
    }
}
