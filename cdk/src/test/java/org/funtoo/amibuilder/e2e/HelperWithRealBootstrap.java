package org.funtoo.amibuilder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.funtoo.amibuilder.lambdas.core.BootstrapCommandDocument;
import org.funtoo.amibuilder.lambdas.core.BootstrapResult;
import org.funtoo.amibuilder.sim.CommandOutcome;
import org.funtoo.amibuilder.sim.CommandScript;

/**
 * The helper instance, as far as it can be had on a test machine: what the simulated SSM's agent does with the
 * bootstrap command. It plays {@code aws:downloadContent} (the zipped {@code bootstrap-scripts/} directory, as the
 * stack's asset holds it, under the download step's file name), then runs the synthesized document's run step as
 * written, with each parameter as the environment variable {@code SSM_<name>} exactly as SendCommand carried it
 * (the document's defaults filled in), as SSM's ENV_VAR interpolation does. So the real {@code ssm-entry.sh} and the
 * real {@code bootstrap.sh} run with the handler's parameters.
 *
 * <p>Test seams, all of them bootstrap.sh's own (README): {@code BOOTSTRAP_TEST_VERIFY_ONLY=yes} stops after the
 * stage3 is resolved, downloaded and verified (no disk on a test machine, and no arm64 either);
 * {@code BOOTSTRAP_TEST_PINNED_KEYS} pins the mirror's test key; {@code CURL_HOME} holds the mirror's
 * {@code .curlrc}. The document's absolute paths (download directory, log file) are moved into a temporary
 * directory. What a real helper would do after the verification (disk, chroot, boot loader) cannot run here: a run
 * that verified its stage3 ends as the bootstrap would, with the result line of the stage3 it verified.
 */
final class HelperWithRealBootstrap implements CommandScript.Runner {
    /** The line bootstrap.sh --verify-only ends with. */
    static final Pattern VERIFIED = Pattern.compile(
            "^STAGE3-VERIFIED stage3_url=(\\S+) stage3_sha256=([0-9a-f]{64}) signer=(\\S+)$", Pattern.MULTILINE);
    static final String KERNEL = "6.6.13-stand-in";

    /** What one run of the real bootstrap did. */
    record Run(Map<String, List<String>> parameters, int status, String stdout, String stderr, String stage3Url,
               String stage3Sha256, String signer) {
        boolean verified() {
            return stage3Url != null;
        }
    }

    private static Path archive;
    private final JsonNode document;
    private final LoopbackMirror mirror;
    private final Map<String, Run> runsByBuild = new ConcurrentHashMap<>();

    HelperWithRealBootstrap(JsonNode documentContent, LoopbackMirror mirror) {
        this.document = documentContent;
        this.mirror = mirror;
    }

    /** The run of the build whose buildId parameter is {@code buildId}. */
    Run runOf(String buildId) {
        return runsByBuild.get(buildId);
    }

    @Override
    public CommandOutcome run(String documentName, Map<String, List<String>> parameters) {
        try {
            Run run = runBootstrap(parameters);
            runsByBuild.put(parameters.get("buildId").get(0), run);
            if (run.status() != 0) {
                return CommandOutcome.fails(run.status(), run.stdout(), run.stderr());
            }
            if (!run.verified()) {
                return CommandOutcome.succeeds(run.stdout(), run.stderr());
            }
            // the disk phases a test machine cannot run: the rest of the bootstrap, simulated, ends as it would
            Map<String, Long> phases = new LinkedHashMap<>(CommandOutcome.DEFAULT_PHASES);
            String result = new BootstrapResult(run.stage3Url(), run.stage3Sha256(), KERNEL, phases).line();
            return CommandOutcome.succeeds(run.stdout(), run.stderr() + result + "\n");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private Run runBootstrap(Map<String, List<String>> parameters) throws IOException, InterruptedException {
        JsonNode download = step(BootstrapCommandDocument.DOWNLOAD_STEP);
        JsonNode run = step(BootstrapCommandDocument.RUN_STEP);
        // short: gpg's agent socket lives in the keyring directory below it, and a socket path has ~107 bytes
        Path work = Files.createTempDirectory("fab");
        Path downloads = work.resolve("downloads");
        Files.createDirectories(downloads);
        String source = JsonMini.path(download.path("inputs").path("sourceInfo").asText());
        Path zip = downloads.resolve(source.substring(source.lastIndexOf('/') + 1));
        Files.copy(scriptsArchive(), zip);
        List<String> lines = new ArrayList<>();
        run.path("inputs").path("runCommand").forEach(l -> lines.add(l.asText()
                .replace(download.path("inputs").path("destinationPath").asText(), downloads.toString())
                .replace(BootstrapCommandDocument.LOG_FILE, work.resolve("bootstrap.log").toString())));
        Path script = work.resolve("_script.sh");
        Files.writeString(script, String.join("\n", lines) + "\n");
        script.toFile().setExecutable(true);

        Map<String, String> environment = new LinkedHashMap<>();
        document.path("parameters").fields().forEachRemaining(p -> {
            if ("ENV_VAR".equals(p.getValue().path("interpolationType").asText())) {
                environment.put("SSM_" + p.getKey(), String.join(",", parameters.getOrDefault(p.getKey(), List.of())));
            }
        });
        environment.put("HOME", work.toString());
        environment.put("TMPDIR", work.toString());
        environment.put("LANG", "C.UTF-8");
        environment.put("CURL_HOME", mirror.curlHome.toString());
        environment.put("BOOTSTRAP_TEST_PINNED_KEYS", mirror.pinnedKeys.toString());
        environment.put("BOOTSTRAP_TEST_VERIFY_ONLY", "yes");
        LoopbackMirror.Ran ran = LoopbackMirror.runAllowingFailure(work, environment, 120, script.toString());
        Matcher verified = VERIFIED.matcher(ran.stderr());
        String url = null;
        String sha256 = null;
        String signer = null;
        while (verified.find()) {
            url = verified.group(1);
            sha256 = verified.group(2);
            signer = verified.group(3);
        }
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return new Run(parameters, ran.status(), ran.stdout(), ran.stderr(), url, sha256, signer);
    }

    private JsonNode step(String name) {
        for (JsonNode step : document.path("mainSteps")) {
            if (name.equals(step.path("name").asText())) {
                return step;
            }
        }
        throw new IllegalStateException("the bootstrap document has no step " + name);
    }

    /** bootstrap-scripts/ zipped once, its contents at the root, as the CDK asset zips a directory. */
    private static synchronized Path scriptsArchive() throws IOException, InterruptedException {
        if (archive == null) {
            Path dir = Files.createTempDirectory("bootstrap-asset");
            archive = dir.resolve("asset.zip");
            LoopbackMirror.run(LocalExecution.repoRoot().resolve("bootstrap-scripts"), Map.of(), 60,
                    "zip", "-q", "-r", "-X", archive.toString(), ".", "-x", "tests/*");
            archive.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        }
        return archive;
    }

    /** The one field the download step's sourceInfo (a JSON string) is read for. */
    private static final class JsonMini {
        static String path(String sourceInfo) {
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().readTree(sourceInfo).path("path").asText();
            } catch (IOException e) {
                throw new IllegalStateException("sourceInfo is not JSON: " + sourceInfo, e);
            }
        }
    }
}
