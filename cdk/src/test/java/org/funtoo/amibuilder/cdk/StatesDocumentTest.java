package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * STATES.md is what {@link StatesDocument} makes of the synthesized template today. With {@code -Dregenerate=true}
 * the test writes the file instead of failing ({@link StatesDocument#REGENERATE}).
 */
class StatesDocumentTest {
    private final SynthesizedApp app = SynthesizedApp.get();
    private final StatesDocument states = new StatesDocument(app);

    @Test
    void statesMdIsGeneratedFromTheSynthesizedDefinitions() throws IOException {
        Path file = app.layout.root().resolve(StatesDocument.FILE);
        String expected = states.render();
        String actual = Files.isRegularFile(file) ? Files.readString(file) : "";
        if (Boolean.getBoolean("regenerate") && !expected.equals(actual)) {
            Files.writeString(file, expected);
            actual = expected;
        }
        assertEquals(expected, actual,
                StatesDocument.FILE + " is stale: regenerate it with " + StatesDocument.REGENERATE);
    }

    @Test
    void theReadmeTellsWhereStatesMdIsAndHowToRegenerateIt() throws IOException {
        String readme = Files.readString(app.layout.root().resolve("README.md"));
        assertTrue(readme.contains("[STATES.md](STATES.md)"), "README.md links STATES.md");
        assertTrue(readme.contains(StatesDocument.REGENERATE),
                "README.md gives the command: " + StatesDocument.REGENERATE);
    }

    /** Every Task state has its handler's source file and a unit test named after it, found in the sources. */
    @Test
    void everyLambdaTaskLeadsToItsHandlersSourceAndUnitTest() {
        String document = states.render();
        JavaSources sources = JavaSources.of(app.layout.root());
        for (StatesDocument.Definition definition : states.definitions()) {
            definition.asl().get("States").fields().forEachRemaining(entry -> {
                String resource = entry.getValue().path("Resource").asText();
                if (!resource.contains(":function:")) {
                    return;
                }
                String handler = resource.substring(resource.lastIndexOf(':') + 1);
                assertTrue(sources.test().stream().anyMatch(s -> s.simpleName().equals(handler + "Test")),
                        entry.getKey() + ": no unit test " + handler + "Test");
                assertTrue(document.contains("[`" + handler + "`](lambdas/src/main/java/"),
                        entry.getKey() + ": STATES.md does not link " + handler + "'s source");
            });
        }
    }
}
