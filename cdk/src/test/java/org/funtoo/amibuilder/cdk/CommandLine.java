package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A command as a user types it in the repository root, run by {@code sh -c}: with the user's PATH (the test's,
 * without the node_modules/.bin that Maven puts first for the tests), headed by a probe {@code node} that records
 * every process started on it and then runs the system's node. What ran on the pinned Node (node_modules) never
 * reaches the probe.
 */
final class CommandLine {
    record Result(int exitCode, String stdout, String stderr, List<String> probedNodeCalls) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    private CommandLine() {
    }

    static Result run(String command, Map<String, String> environment) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("amibuilder-command");
        Path probe = Files.createDirectory(dir.resolve("bin")).resolve("node");
        Path calls = dir.resolve("node-calls.log");
        Files.createFile(calls);
        String userPath = Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .filter(entry -> !entry.contains("node_modules"))
                .collect(Collectors.joining(File.pathSeparator));
        Path systemNode = Arrays.stream(userPath.split(File.pathSeparator))
                .map(entry -> Path.of(entry, "node"))
                .filter(Files::isExecutable)
                .findFirst().orElseThrow(() -> new AssertionError("no node in PATH (the README requires Node and npm)"));
        Files.writeString(probe, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + calls + "'\nexec '" + systemNode
                + "' \"$@\"\n");
        assertTrue(probe.toFile().setExecutable(true));

        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command)
                .directory(RepoLayout.locate().root().toFile())
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("JSII_") || key.startsWith("CDK_"));
        env.put("PATH", probe.getParent() + File.pathSeparator + userPath);
        env.putAll(new LinkedHashMap<>(environment));
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), command + " did not finish");
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout")),
                Files.readString(dir.resolve("stderr")), Files.readAllLines(calls));
    }
}
