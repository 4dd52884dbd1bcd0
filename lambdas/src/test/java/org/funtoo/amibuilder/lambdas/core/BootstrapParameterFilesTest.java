package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bootstrap-scripts/lib/parameters.sh is generated from {@link BootstrapParameter}; bash reads the same patterns
 * that SSM and the input validator apply, so it must be exactly what the declaration generates.
 */
class BootstrapParameterFilesTest {
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("bootstrap-scripts"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void theShellDeclarationIsWhatTheJavaDeclarationGenerates() throws IOException {
        Path file = repoRoot().resolve("bootstrap-scripts/lib/parameters.sh");
        assertEquals(BootstrapParameter.shellDeclaration(), Files.readString(file),
                "bootstrap-scripts/lib/parameters.sh is stale: regenerate it with `mvn -B -q -pl lambdas compile exec:java"
                        + " -Dexec.mainClass=org.funtoo.amibuilder.lambdas.core.BootstrapParameter`");
    }

    /** SSM's allowedPattern, java.util.regex and bash's [[ =~ ]] must read every pattern alike. */
    @Test
    void everyPatternStaysInTheCommonSubsetOfJavaAndPosixExtendedRegex() {
        Pattern javaOnly = Pattern.compile("\\\\[dDwWsSbBpPQEAzZ]|\\(\\?|(?<!\\\\)[*+?}][?+]");
        for (BootstrapParameter p : BootstrapParameter.values()) {
            assertTrue(!javaOnly.matcher(p.valuePattern()).find(), p + ": " + p.valuePattern());
        }
    }

    /** The same values, through bash's own check (lib/options.sh) and the declaration. */
    @Test
    void bashAppliesTheDeclaredPatternsToTheSameValues() throws IOException, InterruptedException {
        Map<String, List<String>> probes = Map.of(
                "--subarch", List.of("amd64-openrc+llvm", "generic_64", "../x", "a b", ""),
                "--release", List.of("next", "1.4-release-std", "20240428T163427Z", "a/b"),
                "--extra-packages", List.of(">=dev-lang/perl-5.38:0", "=sys-kernel/gentoo-sources-6.6.30::gentoo",
                        "_a/_b", "app-misc/tmux app-misc/screen", "app-misc/tmux\napp-misc/screen", "a;b"),
                "--stage3-base-url", List.of("https://distfiles.gentoo.org/releases", "https://x/a?b", "ftp://x"),
                "--hostname", List.of("build-01.example.org", "-bad", "under_score"));
        StringBuilder script = new StringBuilder("source bootstrap-scripts/lib/parameters.sh\n");
        StringBuilder expected = new StringBuilder();
        for (var entry : probes.entrySet()) {
            BootstrapParameter parameter = java.util.Arrays.stream(BootstrapParameter.values())
                    .filter(p -> entry.getKey().equals(p.option())).findFirst().orElseThrow();
            Pattern allowed = Pattern.compile(parameter.allowedPattern());
            for (String value : entry.getValue()) {
                script.append("v=$'").append(value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n"))
                        .append("'; if [[ $v =~ ${OPTION_PATTERN[").append(entry.getKey())
                        .append("]} ]]; then echo yes; else echo no; fi\n");
                expected.append(allowed.matcher(value).matches() ? "yes" : "no").append('\n');
            }
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString()).directory(repoRoot().toFile())
                .redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes());
        assertEquals(0, bash.waitFor(), out);
        assertEquals(expected.toString(), out);
    }

    /**
     * The patterns are written once, in the input schema: no main source (Java of every module, the bootstrap's
     * bash) carries a copy, only the generated lib/parameters.sh.
     */
    @Test
    void everyBootstrapPatternIsWrittenOnlyInTheSchema() throws IOException {
        Path root = repoRoot();
        List<Path> sources = new java.util.ArrayList<>();
        for (String dir : List.of("lambdas/src/main", "statemachine/src/main", "cdk/src/main", "bootstrap-scripts")) {
            try (var files = Files.walk(root.resolve(dir))) {
                files.filter(Files::isRegularFile)
                        .filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".sh"))
                        .filter(f -> !f.startsWith(root.resolve("bootstrap-scripts/tests")))
                        .filter(f -> !f.equals(root.resolve("bootstrap-scripts/lib/parameters.sh")))
                        .forEach(sources::add);
            }
        }
        assertTrue(sources.size() > 50, "the sources are found: " + sources.size());
        for (BootstrapParameter p : BootstrapParameter.values()) {
            if (p.valuePattern().matches("[a-z0-9_|-]+")) {
                continue; // a list of values (funtoo|gentoo): the values themselves are used everywhere
            }
            for (Path source : sources) {
                assertTrue(!Files.readString(source).contains(p.valuePattern()),
                        () -> root.relativize(source) + " copies the pattern of " + p.parameterName());
            }
        }
        assertTrue(Files.readString(root.resolve("schema/build-input.schema.json"))
                .contains(BootstrapParameter.STAGE3_SUBARCH.valuePattern()));
    }
}
