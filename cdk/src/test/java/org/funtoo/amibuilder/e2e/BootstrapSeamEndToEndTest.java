package org.funtoo.amibuilder.e2e;

import static org.funtoo.amibuilder.e2e.LoopbackMirror.FUNTOO_HOST;
import static org.funtoo.amibuilder.e2e.LoopbackMirror.GENTOO_HOST;
import static org.funtoo.amibuilder.e2e.LoopbackMirror.GENTOO_LATEST;
import static org.funtoo.amibuilder.e2e.LoopbackMirror.GENTOO_OLDER;
import static org.funtoo.amibuilder.e2e.LoopbackMirror.gentooStage3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.funtoo.amibuilder.sim.CommandScript;
import org.funtoo.amibuilder.sim.SimTimings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seam between the workflow and the bootstrap, end to end: a whole offline build whose bootstrap command the
 * simulated SSM hands to the real {@code ssm-entry.sh} and {@code bootstrap.sh} ({@link HelperWithRealBootstrap}),
 * with exactly the parameters SendBootstrapCommandHandler sent through the synthesized document, against the
 * {@link LoopbackMirror} laid out like build.funtoo.org and distfiles.gentoo.org below their default base URLs.
 * Every distribution and architecture the input accepts, with the default input and with a custom release,
 * subarch, url and sha256, must resolve, download and verify its stage3, and the build's output must name the
 * stage3 the bootstrap verified. The builds are independent, each mostly waiting on its own interpreter and bash
 * processes, so they run three at a time once, before the tests look at them.
 */
class BootstrapSeamEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.networknt.schema.Schema OUTPUT_SCHEMA = com.networknt.schema.SchemaRegistry
            .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
            .getSchema(readOutputSchema());

    private static String readOutputSchema() {
        try {
            return java.nio.file.Files.readString(LocalExecution.repoRoot().resolve("schema/build-output.schema.json"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> builds() {
        LoopbackMirror mirror = LoopbackMirror.get();
        String funtooDated = "next/x86-64bit/generic_64/2026-03-01/stage3-generic_64-next-2026-03-01.tar.xz";
        String funtooHaswell = "1.4-release-std/x86-64bit/intel64-haswell/stage3-latest.tar.xz";
        String gentooSystemd = gentooStage3("amd64", "amd64-systemd", GENTOO_OLDER);
        String gentooSplitusr = gentooStage3("arm64", "arm64-openrc+splitusr", GENTOO_OLDER);
        String gentooArmOlder = gentooStage3("arm64", "arm64-openrc", GENTOO_OLDER);
        return Stream.of(
                build("funtoo-x86-64-default", "{}", FUNTOO_HOST, "next/x86-64bit/generic_64/stage3-latest.tar.xz",
                        true),
                build("funtoo-x86-64-release-subarch", input("funtoo", "x86_64", stage3()
                                .put("release", "1.4-release-std").put("subarch", "intel64-haswell")
                                .put("sha256", mirror.sha256(FUNTOO_HOST, funtooHaswell))),
                        FUNTOO_HOST, funtooHaswell, true),
                build("funtoo-x86-64-url", input("funtoo", "x86_64", stage3()
                                .put("url", "https://" + FUNTOO_HOST + "/" + funtooDated)
                                .put("sha256", mirror.sha256(FUNTOO_HOST, funtooDated))),
                        FUNTOO_HOST, funtooDated, true),
                build("gentoo-x86-64-default", "{\"distribution\": \"gentoo\"}", GENTOO_HOST,
                        gentooStage3("amd64", "amd64-openrc", GENTOO_LATEST), true),
                build("gentoo-x86-64-release-subarch", input("gentoo", "x86_64", stage3()
                                .put("release", GENTOO_OLDER).put("subarch", "amd64-systemd")
                                .put("sha256", mirror.sha256(GENTOO_HOST, gentooSystemd))),
                        GENTOO_HOST, gentooSystemd, true),
                build("gentoo-arm64-default", "{\"distribution\": \"gentoo\", \"architecture\": \"arm64\"}",
                        GENTOO_HOST, gentooStage3("arm64", "arm64-openrc", GENTOO_LATEST), true),
                build("gentoo-arm64-release-subarch-with-plus", input("gentoo", "arm64", stage3()
                                .put("release", GENTOO_OLDER).put("subarch", "arm64-openrc+splitusr")
                                .put("sha256", mirror.sha256(GENTOO_HOST, gentooSplitusr))),
                        GENTOO_HOST, gentooSplitusr, true),
                build("gentoo-arm64-url-pinned-digest-only", input("gentoo", "arm64", stage3()
                                .put("url", "https://" + GENTOO_HOST + "/" + gentooArmOlder)
                                .put("sha256", mirror.sha256(GENTOO_HOST, gentooArmOlder))
                                .put("verifySignature", false)),
                        GENTOO_HOST, gentooArmOlder, false));
    }

    private static Arguments build(String buildId, String input, String host, String path, boolean signed) {
        return Arguments.of(buildId, input, "https://" + host + "/" + path, LoopbackMirror.get().sha256(host, path),
                signed);
    }

    private static ObjectNode stage3() {
        return JSON.createObjectNode();
    }

    private static String input(String distribution, String architecture, ObjectNode stage3) {
        ObjectNode input = JSON.createObjectNode().put("distribution", distribution).put("architecture", architecture);
        input.set("stage3", stage3);
        return input.toString();
    }

    @AfterAll
    static void reportPermissionsNeverUsed() {
        OfflineBuild.reportPermissionsNeverUsed();
    }

    /** What one build did: its execution and its bootstrap's run. */
    private record Outcome(LocalExecution.Result result, HelperWithRealBootstrap.Run run, List<String> iamDenials) {
    }

    private static final java.util.Map<String, java.util.concurrent.Future<Outcome>> OUTCOMES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static java.util.concurrent.ExecutorService pool;

    /** Starts every build of {@link #builds()}, three at a time. */
    @BeforeAll
    static void runTheBuilds() {
        var document = OfflineBuild.bootstrapDocumentContent(); // the synthesis, once, on this thread
        pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        builds().forEach(arguments -> {
            String buildId = (String) arguments.get()[0];
            String input = (String) arguments.get()[1];
            OUTCOMES.put(buildId, pool.submit(() -> build(document, buildId, input)));
        });
    }

    @AfterAll
    static void stopThePool() {
        pool.shutdownNow();
    }

    private static Outcome build(com.fasterxml.jackson.databind.JsonNode document, String buildId, String input) {
        HelperWithRealBootstrap helper = new HelperWithRealBootstrap(document, LoopbackMirror.get());
        try (OfflineBuild account = new OfflineBuild(SimTimings.realistic())) {
            account.aws.ssm().scriptCommands(CommandScript.bootstrapSucceeds().otherwise(helper));
            LocalExecution.Result r = account.build(buildId, input);
            List<String> denials = new java.util.ArrayList<>();
            try {
                account.assertEveryCallAllowed(buildId);
            } catch (AssertionError e) {
                denials.add(e.getMessage());
            }
            return new Outcome(r, helper.runOf(buildId), denials);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builds")
    void theRealBootstrapVerifiesTheStage3TheInputNamesAndTheOutputNamesIt(String buildId, String input,
                                                                           String expectedUrl, String expectedSha256,
                                                                           boolean signed) throws Exception {
        LoopbackMirror mirror = LoopbackMirror.get();
        Outcome outcome = OUTCOMES.get(buildId).get(5, java.util.concurrent.TimeUnit.MINUTES);
        LocalExecution.Result r = outcome.result();
        HelperWithRealBootstrap.Run run = outcome.run();
        assertNotNull(run, "the build sent no bootstrap command: " + r.error() + ": " + r.cause());
        assertEquals("SUCCEEDED", r.status(), () -> r.error() + ": " + r.cause()
                + "\nmirror requests: " + mirror.requests() + "\nbootstrap output:\n" + run.stderr());
        assertTrue(run.verified(), run.stderr());
        assertEquals(expectedUrl, run.stage3Url(), run.stderr());
        assertEquals(expectedSha256, run.stage3Sha256());
        assertEquals(signed ? mirror.fingerprint : "unverified", run.signer());
        assertEquals(expectedUrl, r.output().path("stage3").path("url").asText(), r.output().toString());
        assertEquals(expectedSha256, r.output().path("stage3").path("sha256").asText());
        assertEquals(org.funtoo.amibuilder.sim.CommandOutcome.DEFAULT_PHASES.size(),
                r.output().path("timeline").path("bootstrapPhases").size(), r.output().toString());
        assertEquals(List.of(), OUTPUT_SCHEMA.validate(r.output()).stream().map(e -> e.getInstanceLocation()
                + ": " + e.getMessage()).toList(), "the output as schema/build-output.schema.json declares it");
        assertEquals(List.of(), outcome.iamDenials());
    }

    /** Funtoo's arm64 stage3 has no kernel and debian-sources does not build on arm64: refused before anything. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"architecture\": \"arm64\"}",
            "{\"architecture\": \"arm64\", \"stage3\": {\"release\": \"next\", \"subarch\": \"arm64_generic\"}}"})
    void funtooOnArm64IsRefusedBeforeAnythingIsCreated(String input) {
        HelperWithRealBootstrap helper = new HelperWithRealBootstrap(OfflineBuild.bootstrapDocumentContent(),
                LoopbackMirror.get());
        try (OfflineBuild account = new OfflineBuild(SimTimings.realistic())) {
            account.aws.ssm().scriptCommands(CommandScript.bootstrapSucceeds().otherwise(helper));

            LocalExecution.Result r = account.build("funtoo-arm64", input);

            assertEquals("FAILED", r.status());
            assertEquals("InvalidInput", r.error());
            assertTrue(r.cause().contains("use gentoo for arm64"), r.cause());
            assertNull(helper.runOf("funtoo-arm64"));
            assertEquals(List.of(), account.leftoverTypes("funtoo-arm64"));
            account.assertEveryCallAllowed("funtoo-arm64");
        }
    }
}
