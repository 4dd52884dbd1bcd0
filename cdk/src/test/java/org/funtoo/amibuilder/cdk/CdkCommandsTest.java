package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CDK commands the README gives, run as a user runs them: the CLI and the app's jsii runtime on the Node that
 * package.json pins (never the system's, whose end-of-life banner would show), nothing on stderr but what is
 * wrong, and a bad context value as one line without a stack trace.
 */
class CdkCommandsTest {
    private static final Path ROOT = RepoLayout.locate().root();

    @Test
    void theReadmesSynthRunsOnThePinnedNodeAndPrintsOnlyTheTemplate() throws Exception {
        String synth = readmeCommand("npx cdk synth");
        Path out = Files.createTempDirectory("amibuilder-synth");
        CommandLine.Result result = CommandLine.run(synth + " --output " + out, Map.of());
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stderr(), "no banner, no warning");
        assertTrue(result.stdout().contains("AWS::StepFunctions::StateMachine"), "the template on stdout");
        assertTrue(Files.isRegularFile(out.resolve(AmiBuilderApp.STACK_NAME + ".template.json")));
        // the system's node started npx and nothing else: the CLI and jsii ran on node_modules' Node
        assertEquals(1, result.probedNodeCalls().size(), result.probedNodeCalls().toString());
        assertTrue(result.probedNodeCalls().get(0).contains("npx"), result.probedNodeCalls().toString());
        assertEquals("v" + pinnedNode(), pinnedNodeVersion());
    }

    @Test
    void theAppRunsJsiiOnThePinnedNodeWhatEverNodeComesFirstInPath() throws Exception {
        // the app command of cdk.json, as the CLI runs it, with two bad values: jsii starts (App) before the
        // settings are read, on JSII_NODE; the probe, first in PATH, must see nothing
        String app = (String) SynthesizedApp.readJson(ROOT.resolve("cdk.json")).get("app");
        CommandLine.Result result = CommandLine.run(app, Map.of("CDK_OUTDIR",
                Files.createTempDirectory("amibuilder-app").toString(), "CDK_CONTEXT_JSON",
                "{\"logRetentionDays\": 42, \"buildSchedule\": \"cron(0 4 * * MON *)\"}"));
        assertNotEquals(0, result.exitCode());
        assertEquals(List.of(), result.probedNodeCalls());
        List<String> lines = result.stderrLines();
        assertEquals(2, lines.size(), result.stderr());
        assertTrue(lines.get(0).startsWith("context logRetentionDays: must be a CloudWatch Logs retention period"),
                result.stderr());
        assertTrue(lines.get(1).startsWith("context buildSchedule: is a cron expression with a value in both"),
                result.stderr());
    }

    @Test
    void aBadContextValueOnTheCommandLineStopsSynthWithOneLineAndNoStackTrace() throws Exception {
        CommandLine.Result result = CommandLine.run(readmeCommand("npx cdk synth")
                + " -c 'buildSchedule=rate(5 hour)'", Map.of());
        assertNotEquals(0, result.exitCode());
        List<String> lines = result.stderrLines();
        assertEquals("context buildSchedule: is a rate with the unit hour: EventBridge wants the singular for 1 and"
                + " the plural otherwise (rate(5 hours)) (got \"rate(5 hour)\")", lines.get(0), result.stderr());
        // and then only the CLI's own report that the app failed
        assertEquals(2, lines.size(), result.stderr());
        assertTrue(lines.get(1).endsWith("Subprocess exited with error 1"), result.stderr());
        assertEquals("", result.stdout());
    }

    /** A command as the README's "Deploy and start a build" gives it, without its comment. */
    private static String readmeCommand(String start) throws Exception {
        return Files.readAllLines(ROOT.resolve("README.md")).stream()
                .filter(line -> line.startsWith(start + " ") || line.equals(start))
                .map(line -> line.replaceFirst("\\s+#.*", "").trim())
                .findFirst().orElseThrow(() -> new AssertionError("the README gives no `" + start + "`"));
    }

    @SuppressWarnings("unchecked")
    private static String pinnedNode() {
        return ((Map<String, String>) SynthesizedApp.readJson(ROOT.resolve("package.json")).get("devDependencies"))
                .get("node");
    }

    private static String pinnedNodeVersion() throws Exception {
        Process process = new ProcessBuilder(ROOT.resolve("node_modules/.bin/node").toString(), "--version").start();
        String version = new String(process.getInputStream().readAllBytes()).trim();
        process.waitFor();
        return version;
    }
}
