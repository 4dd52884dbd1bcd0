package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A state name seen in the console can be grepped in the code as written (the rules in STATES.md's header): it is
 * a string literal in the main sources; or a Lambda Task state named after the handler class it runs
 * (state {@code X} runs {@code XHandler}); or a Fail state generated from an enum constant of that name.
 */
class StateNamesTest {
    private final SynthesizedApp app = SynthesizedApp.get();
    private final JavaSources sources = JavaSources.of(app.layout.root());

    @Test
    void everyStateNameIsWrittenOutInTheMainSources() {
        List<String> missing = new ArrayList<>();
        int states = 0;
        for (StatesDocument.Definition definition : new StatesDocument(app).definitions()) {
            for (var it = definition.asl().get("States").fields(); it.hasNext(); states++) {
                var entry = it.next();
                if (!greppable(entry.getKey(), entry.getValue())) {
                    missing.add(definition.title() + "." + entry.getKey());
                }
            }
        }
        assertTrue(states > 100, "both definitions read: " + states + " states");
        assertEquals(List.of(), missing, "state names no one can grep: write each once as a literal");
    }

    /** The scanner the rule rests on: literals only, not comments or text blocks, escapes as written. */
    @Test
    void literalsAreReadAsJavaReadsThem() {
        String source = """
                class X { // "InComment"
                    /* "InBlock" */ String a = "Plain", b = "With \\" quote", c = \"""
                        "InTextBlock"
                        \""";
                    char q = '"'; String d = "After?";
                }
                """;
        assertEquals(Set.of("Plain", "With \\\" quote", "After?"), JavaSources.literals(source));
    }

    private boolean greppable(String name, JsonNode state) {
        if (sources.main().stream().anyMatch(s -> s.literals().contains(name))) {
            return true;
        }
        String resource = state.path("Resource").asText();
        if (resource.endsWith(":function:" + name + "Handler")) {
            return sources.main().stream().anyMatch(s -> s.simpleName().equals(name + "Handler"));
        }
        return state.path("Type").asText().equals("Fail")
                && sources.main().stream().anyMatch(s -> s.declaresEnumWith(name));
    }
}
