package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** asl-validator (package.json) on both synthesized definitions. */
class AslValidatorTest {
    private final SynthesizedApp app = SynthesizedApp.get();

    @Test
    void bothSynthesizedDefinitionsAreValidAsl() throws Exception {
        Result result = validate(app.stack.buildDefinition(), app.stack.cleanupDefinition());
        assertEquals(0, result.exitCode(), result.output());
        assertEquals(2, result.output().lines().filter(line -> line.contains("is valid")).count(), result.output());
    }

    @Test
    void theValidatorRejectsADefinitionWithAMissingState() throws Exception {
        String broken = app.stack.buildDefinition().replace("\"Next\":\"ResolveHelperImage\"", "\"Next\":\"NoSuchState\"");
        assertNotEquals(app.stack.buildDefinition(), broken);
        Result result = validate(broken);
        assertNotEquals(0, result.exitCode(), result.output());
    }

    private record Result(int exitCode, String output) {
    }

    private Result validate(String... definitions) throws IOException, InterruptedException {
        Path root = app.layout.root();
        Path node = root.resolve("node_modules/.bin/node");
        Path validator = root.resolve("node_modules/.bin/asl-validator");
        assertTrue(Files.isExecutable(node) && Files.exists(validator),
                "asl-validator and Node 22 are missing: run `npm ci` in " + root + " first");
        List<String> command = new ArrayList<>(List.of(node.toString(), validator.toRealPath().toString()));
        Path dir = Files.createTempDirectory("amibuilder-asl");
        for (int i = 0; i < definitions.length; i++) {
            Path file = dir.resolve("definition-" + i + ".json");
            Files.writeString(file, definitions[i]);
            command.addAll(List.of("--json-path", file.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "asl-validator did not finish");
        return new Result(process.exitValue(), output);
    }
}
