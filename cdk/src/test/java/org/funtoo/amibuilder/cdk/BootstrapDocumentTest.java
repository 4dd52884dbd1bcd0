package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.funtoo.amibuilder.lambdas.core.BootstrapParameter;
import org.junit.jupiter.api.Test;

/**
 * The SSM document as synthesized: the parameters of the bootstrap interface, each constrained by an
 * allowedPattern that is evaluated here with java.util.regex, and a script that never lets a parameter become
 * shell text.
 */
class BootstrapDocumentTest {
    /** The declaration the document must be made from. */
    private static final List<String> PARAMETERS = java.util.Arrays.stream(BootstrapParameter.values())
            .map(BootstrapParameter::parameterName).toList();
    private static final List<String> INJECTIONS = List.of(";", "a;reboot", "$(id)", "`id`", "x && y", "x|y",
            "'", "\"", "a\nb", "${IFS}", "x > /etc/passwd");

    private final JsonNode document = document();

    @Test
    void isASchema22CommandDocumentWithExactlyTheBootstrapParameters() {
        assertEquals("2.2", document.get("schemaVersion").asText());
        List<String> names = new ArrayList<>();
        document.get("parameters").fieldNames().forEachRemaining(names::add);
        List<String> expected = new ArrayList<>(PARAMETERS);
        expected.add("executionTimeout");
        assertEquals(expected, names);
        SynthesizedApp.get().stack.template().hasResourceProperties("AWS::SSM::Document",
                Map.of("DocumentType", "Command", "DocumentFormat", "JSON", "Content",
                        software.amazon.awscdk.assertions.Match.anyValue()));
    }

    @Test
    void everyParameterIsAnOptionalStringPassedAsAnEnvironmentVariableAndConstrained() {
        document.get("parameters").fields().forEachRemaining(entry -> {
            if (entry.getKey().equals("executionTimeout")) {
                return; // not for the script: see theRunsLimitIsTheBuildsOwnOrTheStacks
            }
            JsonNode parameter = entry.getValue();
            assertEquals("String", parameter.get("type").asText(), entry.getKey());
            assertEquals("", parameter.get("default").asText(), entry.getKey());
            assertEquals("ENV_VAR", parameter.get("interpolationType").asText(), entry.getKey());
            assertTrue(pattern(entry.getKey()).matcher("").matches(), entry.getKey() + ": \"\" means not given");
        });
    }

    @Test
    void noPatternAcceptsShellSyntax() {
        for (String name : PARAMETERS) {
            for (String injection : INJECTIONS) {
                assertRejects(name, injection);
                assertRejects(name, good(name) + injection);
            }
        }
    }

    @Test
    void spacesAreOnlyAcceptedBetweenPackageAtoms() {
        for (String name : PARAMETERS) {
            assertRejects(name, " " + good(name));
            assertRejects(name, good(name) + " ");
            if (!name.equals("extraPackages")) {
                assertRejects(name, good(name) + " x");
            }
        }
        assertAccepts("extraPackages", "app-editors/vim >=sys-kernel/gentoo-sources-6.6:6.6 net-misc/curl");
        assertRejects("extraPackages", "app-editors/vim  net-misc/curl");
        assertRejects("extraPackages", "app-editors/vim\tnet-misc/curl");
    }

    @Test
    void patternsAcceptTheValuesBuildsUse() {
        assertAccepts("volumeId", "vol-0123456789abcdef0");
        assertAccepts("volumeId", "vol-12345678");
        assertRejects("volumeId", "/dev/nvme1n1");
        assertAccepts("distribution", "funtoo");
        assertAccepts("distribution", "gentoo");
        assertRejects("distribution", "debian");
        assertAccepts("architecture", "x86_64");
        assertAccepts("architecture", "arm64");
        assertRejects("architecture", "i686");
        assertAccepts("stage3Url", "https://build.funtoo.org/next/x86-64bit/generic_64/stage3-latest.tar.xz");
        assertAccepts("stage3Url", "https://distfiles.gentoo.org/releases/amd64/autobuilds/20240101T170000Z/"
                + "stage3-amd64-openrc-20240101T170000Z.tar.xz");
        assertRejects("stage3Url", "http://build.funtoo.org/stage3.tar.xz");
        assertRejects("stage3Url", "file:///etc/shadow");
        assertAccepts("stage3BaseUrl", "https://mirror.example.org:8443/funtoo");
        assertAccepts("stage3Release", "next");
        assertAccepts("stage3Release", "1.4-release-std");
        assertAccepts("stage3Subarch", "intel64-haswell");
        assertRejects("stage3Subarch", "../../etc");
        assertAccepts("stage3Sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertRejects("stage3Sha256", "e3b0c442");
        assertAccepts("verifySignature", "true");
        assertAccepts("verifySignature", "false");
        assertRejects("verifySignature", "yes");
        assertAccepts("hostname", "funtoo");
        assertAccepts("hostname", "build-01.example.org");
        assertRejects("hostname", "-bad");
        assertRejects("hostname", "under_score");
        assertAccepts("bootMode", "uefi");
        assertAccepts("bootMode", "legacy-bios");
        assertAccepts("bootMode", "uefi-preferred");
        assertRejects("bootMode", "bios");
        assertAccepts("buildId", "3f2a9c1e-7b4d-4e8f-9a6b-1c2d3e4f5a6b");
        assertAccepts("buildId", "nightly_2026-11-25");
    }

    @Test
    void everyParameterIsAsDeclaredOnce() {
        Map<String, Object> declared = BootstrapParameter.documentParameters();
        declared.forEach((name, definition) -> assertEquals(SynthesizedApp.JSON.valueToTree(definition),
                document.get("parameters").get(name), name));
    }

    /** The run step only unpacks the asset and hands over to ssm-entry.sh (tested by bats), naming no parameter. */
    @Test
    void theRunStepUnpacksTheAssetThenRunsSsmEntryWithTheLogFile() {
        String script = script();
        assertFalse(script.contains("{{"), "no parameter substitution into the script text");
        assertFalse(script.contains("eval"), "nothing is evaluated");
        assertFalse(script.contains("SSM_"), "the parameters are ssm-entry.sh's business");
        List<String> lines = scriptLines();
        assertEquals("bash \"$work/scripts/ssm-entry.sh\" '/var/log/funtoo-ami-bootstrap.log'",
                lines.get(lines.size() - 1), "its exit status is the step's");
        assertTrue(java.nio.file.Files.isRegularFile(RepoLayout.locate().bootstrapScripts().resolve("ssm-entry.sh")),
                "ssm-entry.sh ships in the scripts asset");
    }

    @Test
    void theScriptsComeFromTheStacksAssetAndRunWithinTheBootstrapDeadline() {
        JsonNode download = document.at("/mainSteps/0");
        assertEquals("aws:downloadContent", download.get("action").asText());
        assertEquals("S3", download.at("/inputs/sourceType").asText());
        String source = IamStatements.text(download.at("/inputs/sourceInfo"));
        String assetKey = assetKey();
        assertTrue(source.contains("/cdk-hnb659fds-assets-") && source.endsWith("/" + assetKey + "\"}"),
                source);
        JsonNode run = document.at("/mainSteps/1");
        assertEquals("aws:runShellScript", run.get("action").asText());
        assertEquals("{{ executionTimeout }}", run.at("/inputs/timeoutSeconds").asText());
        assertTrue(script().contains("archive='/var/lib/funtoo-ami-builder/scripts/" + assetKey + "'"));
    }

    @Test
    void theRunsLimitIsTheBuildsOwnOrTheStacks() {
        JsonNode timeout = document.at("/parameters/executionTimeout");
        assertEquals(Integer.toString(180 * 60), timeout.get("default").asText(), "the stack's bootstrapTimeoutMinutes");
        assertTrue(!timeout.has("interpolationType"), "read by SSM for timeoutSeconds, never by a shell");
        java.util.regex.Pattern allowed = java.util.regex.Pattern.compile(timeout.get("allowedPattern").asText());
        for (String good : List.of("600", "3600", "28800")) {
            assertTrue(allowed.matcher(good).matches(), good);
        }
        for (String bad : List.of("", "0", "60; reboot", "$(id)", "1e5", "-1", "288000")) {
            assertTrue(!allowed.matcher(bad).matches(), bad);
        }
    }

    /** The object key of the bootstrap-scripts asset, from the stack's asset manifest. */
    static String assetKey() {
        SynthesizedApp app = SynthesizedApp.get();
        JsonNode manifest = SynthesizedApp.JSON.valueToTree(SynthesizedApp.readJson(
                app.assemblyDir.resolve(AmiBuilderApp.STACK_NAME + ".assets.json")));
        List<String> zips = new ArrayList<>();
        manifest.get("files").forEach(file -> {
            if ("zip".equals(file.at("/source/packaging").asText())) {
                zips.add(file.get("destinations").elements().next().get("objectKey").asText());
            }
        });
        assertEquals(1, zips.size(), "one directory asset: the bootstrap scripts");
        return zips.get(0);
    }

    private void assertRejects(String name, String value) {
        assertFalse(pattern(name).matcher(value).matches(), name + " accepts " + value);
    }

    private void assertAccepts(String name, String value) {
        assertTrue(pattern(name).matcher(value).matches(), name + " rejects " + value);
    }

    private Pattern pattern(String name) {
        return Pattern.compile(document.at("/parameters/" + name + "/allowedPattern").asText());
    }

    private static String good(String name) {
        return switch (name) {
            case "volumeId" -> "vol-0123456789abcdef0";
            case "distribution" -> "funtoo";
            case "architecture" -> "arm64";
            case "stage3Url", "stage3BaseUrl" -> "https://build.funtoo.org/next";
            case "stage3Sha256" -> "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
            case "verifySignature" -> "true";
            case "bootMode" -> "uefi";
            case "extraPackages" -> "app-editors/vim";
            default -> "next";
        };
    }

    private String script() {
        return String.join("\n", scriptLines());
    }

    private List<String> scriptLines() {
        List<String> lines = new ArrayList<>();
        document.at("/mainSteps/1/inputs/runCommand").forEach(line -> lines.add(IamStatements.text(line)));
        return lines;
    }

    private static JsonNode document() {
        JsonNode resources = SynthesizedApp.JSON.valueToTree(SynthesizedApp.get().stack.json()).get("Resources");
        List<JsonNode> documents = new ArrayList<>();
        resources.forEach(resource -> {
            if (resource.get("Type").asText().equals("AWS::SSM::Document")) {
                documents.add(resource.at("/Properties/Content"));
            }
        });
        assertEquals(1, documents.size());
        return documents.get(0);
    }
}
