package org.funtoo.amibuilder.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;

/**
 * One simulated AWS account: EC2, SSM, Step Functions, EventBridge and SNS per region, one clock, one call log, one
 * fault injector. The clients ({@link #ec2()}, {@link #ssm()}, {@link #sfn()}, {@link #events()}, {@link #sns()})
 * implement the SDK v2 client interfaces, so handlers run against it unchanged. It enforces AWS's rules (dependency
 * order, in-use errors, idempotency tokens, ...) with AWS's error codes; a fake that accepted anything would prove
 * nothing.
 *
 * <p>Who is calling is set per thread with {@link #as}; the call log records it for the IAM check.
 */
public final class SimAws {
    public static final String ACCOUNT_ID = "123456789012";
    public static final String HOME_REGION = "us-east-1";
    /** Tag key the builder puts on everything it creates; the inventory is queried by it. */
    public static final String BUILD_ID_TAG = "funtoo-ami-builder:build-id";
    public static final String MANAGED_TAG = "funtoo-ami-builder:managed";
    /** Amazon-owned Amazon Linux 2023 images that exist in every simulated region ... */
    public static final String AL2023_X86_64_IMAGE_ID = "ami-0a2023000000864a0";
    /** ... and what the public SSM parameters {@code /aws/service/ami-amazon-linux-latest/...} point at. */
    public static final String AL2023_ARM64_IMAGE_ID = "ami-0a2023000000a64a0";

    private final SimClock clock;
    private final SimTimings timings;
    private final CallLog calls = new CallLog();
    private final FaultInjector faults = new FaultInjector();
    private final SimQuotas quotas = new SimQuotas();
    private final Map<String, SimEc2> ec2 = new LinkedHashMap<>();
    private final Map<String, SimSsm> ssm = new LinkedHashMap<>();
    private final Map<String, SimSfn> sfn = new LinkedHashMap<>();
    private final Map<String, SimEvents> events = new LinkedHashMap<>();
    private final Map<String, SimSns> sns = new LinkedHashMap<>();
    private final ThreadLocal<String> caller = ThreadLocal.withInitial(() -> "test");

    public SimAws(SimClock clock, SimTimings timings) {
        this.clock = clock;
        this.timings = timings;
    }

    public SimAws() {
        this(new SimClock(), SimTimings.realistic());
    }

    public SimClock clock() { return clock; }
    public SimTimings timings() { return timings; }
    public CallLog calls() { return calls; }
    public FaultInjector faults() { return faults; }
    /** The account's service quotas (AWS's defaults until a test changes them). */
    public SimQuotas quotas() { return quotas; }

    /**
     * What a handler is built from, in this account: its clients of every region and its clock. The caller adds the
     * function's settings ({@link HandlerDependencies.Builder#environment}).
     */
    public HandlerDependencies.Builder dependencies() {
        return HandlerDependencies.builder()
                .ec2(this::ec2)
                .ssm(this::ssm)
                .sfn(this::sfn)
                .eventBridge(this::events)
                .sns(this::sns)
                .clock(clock);
    }

    public SimEc2 ec2() { return ec2(HOME_REGION); }
    public SimSsm ssm() { return ssm(HOME_REGION); }
    public SimSfn sfn() { return sfn(HOME_REGION); }
    public SimEvents events() { return events(HOME_REGION); }
    public SimSns sns() { return sns(HOME_REGION); }

    public synchronized SimEc2 ec2(String region) {
        return ec2.computeIfAbsent(region, r -> new SimEc2(this, r));
    }

    public synchronized SimSsm ssm(String region) {
        return ssm.computeIfAbsent(region, r -> new SimSsm(this, r));
    }

    public synchronized SimSfn sfn(String region) {
        return sfn.computeIfAbsent(region, r -> new SimSfn(this, r));
    }

    public synchronized SimEvents events(String region) {
        return events.computeIfAbsent(region, r -> new SimEvents(this, r));
    }

    public synchronized SimSns sns(String region) {
        return sns.computeIfAbsent(region, r -> new SimSns(this, r));
    }

    /** Runs {@code body} with calls on this thread attributed to {@code who} (e.g. a handler / function name). */
    public <T> T as(String who, Supplier<T> body) {
        String before = caller.get();
        caller.set(who);
        try {
            return body.get();
        } finally {
            caller.set(before);
        }
    }

    public void as(String who, Runnable body) {
        as(who, () -> {
            body.run();
            return null;
        });
    }

    public String currentCaller() {
        return caller.get();
    }

    /**
     * Every simulated operation starts here: the call is logged, then the fault injector may fail it (with no
     * side effect). The returned call is enriched by the service (resources touched, request tags).
     */
    CallLog.Call enter(SimService service, String serviceName, String operation, Object request) {
        CallLog.Call call = new CallLog.Call(caller.get(), serviceName, operation, request, clock.instant());
        calls.add(call);
        String injected = faults.decide(serviceName, operation);
        if (injected != null) {
            call.failed(injected);
            throw service.error(injected, "Injected fault for " + serviceName + ":" + operation);
        }
        // AWS's published constraints (required members, lengths, patterns, enums, ranges) before anything else
        var violation = ApiConstraints.get().check(serviceName, operation, request);
        if (violation.isPresent()) {
            call.violatedConstraint();
            throw fail(service, call, violation.get().code(), violation.get().message());
        }
        return call;
    }

    /** Records the error code on the call and returns the exception for the service to throw. */
    RuntimeException fail(SimService service, CallLog.Call call, String code, String message) {
        call.failed(code);
        return service.error(code, message);
    }

    /** All live resources, every region and service. */
    public synchronized List<SimResource> inventory() {
        List<SimResource> all = new ArrayList<>();
        ec2.values().forEach(s -> all.addAll(s.inventory()));
        ssm.values().forEach(s -> all.addAll(s.inventory()));
        sfn.values().forEach(s -> all.addAll(s.inventory()));
        events.values().forEach(s -> all.addAll(s.inventory()));
        sns.values().forEach(s -> all.addAll(s.inventory()));
        return all;
    }

    /** "What resources tagged with build-id X still exist." */
    public List<SimResource> inventoryOfBuild(String buildId) {
        return inventory().stream().filter(r -> buildId.equals(r.tags().get(BUILD_ID_TAG))).toList();
    }
}
