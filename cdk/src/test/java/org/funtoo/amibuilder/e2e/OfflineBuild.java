package org.funtoo.amibuilder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.cdk.SynthesizedApp;
import org.funtoo.amibuilder.lambdas.smoketest.CheckFirstBootMarkerHandler;
import org.funtoo.amibuilder.sim.BootBehaviour;
import org.funtoo.amibuilder.sim.LambdaEvents;
import org.funtoo.amibuilder.sim.SimAws;
import org.funtoo.amibuilder.sim.SimClock;
import org.funtoo.amibuilder.sim.SimResource;
import org.funtoo.amibuilder.sim.SimTimings;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * One simulated account with the stack "deployed" into it: the synthesized template's SSM document registered, its
 * functions served by a {@link HandlerHost}, its two state machines runnable by the interpreter. Executions are
 * recorded in the simulated Step Functions as the real service would, so the cleanup state machine can look up how
 * a build ended.
 */
final class OfflineBuild implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SynthesizedTemplate template;
    private static JsonNode buildDefinition;
    private static JsonNode cleanupDefinition;
    private static String buildMachine;
    private static String cleanupMachine;
    private static IamCheck iam;

    final SimAws aws;
    final HandlerHost host;
    private final String buildMachineArn;
    private final String cleanupMachineArn;

    OfflineBuild(SimTimings timings) {
        loadTemplate();
        this.aws = new SimAws(new SimClock(), timings);
        try {
            this.host = new HandlerHost(aws, template.functions());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (String documentId : template.logicalIdsOfType("AWS::SSM::Document")) {
            JsonNode content = template.renderTree(template.resource(documentId).path("Properties").path("Content"));
            aws.ssm().registerDocument(template.render(JSON.createObjectNode().put("Ref", documentId)), content.toString());
        }
        for (String topicId : template.logicalIdsOfType("AWS::SNS::Topic")) {
            aws.sns().createTopic(b -> b.name(topicId));
        }
        // a Funtoo image that boots: its first-boot service prints the marker the smoke test waits for
        aws.ec2().defaultBoot(BootBehaviour.boots("Linux version 6.6 (simulated)\n"
                + CheckFirstBootMarkerHandler.FIRST_BOOT_OK + BootBehaviour.INSTANCE_ID + "\nlogin: "));
        buildMachineArn = aws.sfn().createStateMachine(buildMachine);
        cleanupMachineArn = aws.sfn().createStateMachine(cleanupMachine);
    }

    /** The shared synthesis of the cdk tests, read once. */
    private static synchronized void loadTemplate() {
        if (template != null) {
            return;
        }
        SynthesizedApp.Synthesized stack = SynthesizedApp.get().stack;
        template = new SynthesizedTemplate(JSON.valueToTree(stack.json()));
        buildMachine = stack.logicalId(stack.workflow().buildStateMachine());
        cleanupMachine = stack.logicalId(stack.workflow().cleanupStateMachine());
        iam = new IamCheck(template);
        buildDefinition = template.definition(buildMachine);
        cleanupDefinition = template.definition(cleanupMachine);
    }

    /** Every call a function made in this account that its IAM policy in the template would deny. */
    private List<String> iamDenials() {
        synchronized (OfflineBuild.class) {
            return iam.check(aws.calls().all());
        }
    }

    /** Denials of the calls that match {@code which} only. */
    List<String> iamDenials(java.util.function.Predicate<org.funtoo.amibuilder.sim.CallLog.Call> which) {
        synchronized (OfflineBuild.class) {
            return iam.check(aws.calls().matching(which));
        }
    }

    /** The logical id of the function whose handler class has this simple name. */
    String functionOf(String handlerSimpleName) {
        return template.functions().values().stream()
                .filter(f -> f.handlerClass().endsWith("." + handlerSimpleName)).findFirst().orElseThrow()
                .logicalId();
    }

    /** Fails naming every call a function made that its policy would deny. */
    void assertEveryCallAllowed(String scenario) {
        // every request kept AWS's published API constraints (the simulation refuses one that does not)
        List<String> violations = aws.calls().matching(org.funtoo.amibuilder.sim.CallLog.Call::violatedApiConstraint)
                .stream().map(c -> c + " " + c.request()).toList();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), violations,
                () -> scenario + ": requests that break AWS's published API constraints:\n"
                        + String.join("\n", violations));
        List<String> denials = iamDenials();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), denials,
                () -> scenario + ":\n" + String.join("\n", denials));
    }

    /**
     * Prints, per function, the actions its policy allows that no scenario so far saw it call. The check gathers
     * across test classes, so the class that runs last prints the union of all scenarios.
     */
    static void reportPermissionsNeverUsed() {
        synchronized (OfflineBuild.class) {
            if (iam != null) {
                System.out.println("IAM: actions allowed but never called in the scenarios so far: "
                        + iam.allowedButNeverCalled());
            }
        }
    }

    static List<String> wildcardActions() {
        loadTemplate();
        return iam.wildcardActions();
    }

    /** The content of the stack's bootstrap document as deployed (intrinsics rendered). */
    static JsonNode bootstrapDocumentContent() {
        loadTemplate();
        List<String> documents = template.logicalIdsOfType("AWS::SSM::Document");
        if (documents.size() != 1) {
            throw new IllegalStateException("expected one SSM document, found " + documents);
        }
        return template.renderTree(template.resource(documents.get(0)).path("Properties").path("Content"));
    }

    static SynthesizedTemplate template() {
        loadTemplate();
        return template;
    }

    static JsonNode buildDefinition() {
        loadTemplate();
        return buildDefinition;
    }

    /** Starts a build execution named {@code buildId} with {@code input} and runs it to its end. */
    LocalExecution.Result build(String buildId, String input) {
        return build(buildId, input, null);
    }

    LocalExecution.Result build(String buildId, String input, String abortAfterState) {
        return execute(buildMachineArn, buildDefinition, buildId, input, abortAfterState);
    }

    /** What the janitor starts for a build: the cleanup state machine with {@code {buildId}}. */
    LocalExecution.Result cleanup(String buildId) {
        return execute(cleanupMachineArn, cleanupDefinition, "cleanup-" + buildId,
                JSON.createObjectNode().put("buildId", buildId).toString(), null);
    }

    private LocalExecution.Result execute(String machineArn, JsonNode definition, String name, String input,
                                          String abortAfterState) {
        String executionArn = aws.as("test", () -> aws.sfn()
                .startExecution(b -> b.stateMachineArn(machineArn).name(name).input(input)).executionArn());
        String startedAt = aws.clock().instant().toString();
        LocalExecution.Result result;
        try {
            result = LocalExecution.run(host, definition, JSON.readTree(input), name, startedAt, abortAfterState);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        aws.sfn().endExecution(executionArn, ExecutionStatus.fromValue(result.status()), result.error(), result.cause());
        return result;
    }

    /** One build of a batch: how it ended and when, on the shared simulated clock. */
    record Timed(String buildId, LocalExecution.Result result, java.time.Instant start, java.time.Instant end) {
        java.time.Duration took() {
            return java.time.Duration.between(start, end);
        }
    }

    /**
     * Starts every build of {@code inputs} (build id → input) at the same moment and runs them to their ends
     * concurrently, on one simulated clock ({@link SharedClock}): each waits as its state machine says while the
     * others work.
     */
    List<Timed> buildTogether(Map<String, String> inputs) {
        SharedClock shared = new SharedClock(aws.clock());
        inputs.keySet().forEach(shared::join);
        host.shareClock(shared);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(inputs.size());
        try {
            List<java.util.concurrent.Future<Timed>> running = new java.util.ArrayList<>();
            for (var e : inputs.entrySet()) {
                running.add(pool.submit(() -> {
                    try {
                        java.time.Instant start = aws.clock().instant();
                        LocalExecution.Result r = build(e.getKey(), e.getValue());
                        return new Timed(e.getKey(), r, start, aws.clock().instant());
                    } finally {
                        shared.leave(e.getKey());
                    }
                }));
            }
            List<Timed> out = new java.util.ArrayList<>();
            for (var f : running) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            host.shareClock(null);
        }
    }

    /**
     * The janitor's daily sweep: the sweep function as its schedule invokes it, then every cleanup execution it
     * started, run to its end. Returns the sweep's result.
     */
    Map<String, Object> sweep() {
        String sweeper = template.functions().values().stream()
                .filter(f -> f.handlerClass().endsWith(".JanitorSweepHandler")).findFirst().orElseThrow().logicalId();
        java.util.Set<String> before = new java.util.HashSet<>(cleanupExecutions(ExecutionStatus.RUNNING));
        // AWS's example scheduled event, fired now
        Map<String, Object> event = LambdaEvents.example(LambdaEvents.SCHEDULED_EVENT_EXAMPLE);
        event.put("time", aws.clock().instant().toString());
        Map<String, Object> result = host.invokeDirectly(sweeper, event);
        for (String executionArn : cleanupExecutions(ExecutionStatus.RUNNING)) {
            if (before.contains(executionArn)) {
                continue;
            }
            var started = aws.sfn().describeExecution(b -> b.executionArn(executionArn));
            LocalExecution.Result r;
            try {
                r = LocalExecution.run(host, cleanupDefinition, JSON.readTree(started.input()), started.name(),
                        aws.clock().instant().toString(), null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            aws.sfn().endExecution(executionArn, ExecutionStatus.fromValue(r.status()), r.error(), r.cause());
        }
        return result;
    }

    private List<String> cleanupExecutions(ExecutionStatus status) {
        return aws.sfn().listExecutions(b -> b.stateMachineArn(cleanupMachineArn).statusFilter(status))
                .executions().stream().map(e -> e.executionArn()).toList();
    }

    /** Builder-tagged resources of the build still in the account. */
    List<SimResource> leftovers(String buildId) {
        return aws.inventoryOfBuild(buildId);
    }

    List<String> leftoverTypes(String buildId) {
        return leftovers(buildId).stream().map(SimResource::type).sorted().toList();
    }

    Map<String, SynthesizedTemplate.Function> functions() {
        return template.functions();
    }

    @Override
    public void close() {
        host.close();
    }
}
