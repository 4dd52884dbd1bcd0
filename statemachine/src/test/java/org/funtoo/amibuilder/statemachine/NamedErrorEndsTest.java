package org.funtoo.amibuilder.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.junit.jupiter.api.Test;

/** The named errors as the synthesized definitions match and show them, generated from {@link ErrorName}. */
class NamedErrorEndsTest {
    private final SynthesizedWorkflow workflow = SynthesizedWorkflow.get();

    @Test
    void aCaughtNamedErrorEndsTheBuildInAFailStateShowingItsShortNameAndTheCauseAsCaught() {
        JsonNode kind = workflow.build.state("FailureKind?");
        List<String> matched = new ArrayList<>();
        int catchAllRule = -1;
        for (int i = 0; i < kind.get("Choices").size(); i++) {
            JsonNode rule = kind.get("Choices").get(i);
            if (rule.has("And")) {
                assertEquals("$.error.Error", rule.at("/And/0/Variable").asText());
                assertTrue(rule.at("/And/0/IsPresent").asBoolean(), "a document without the path must not fail here");
                String errorType = rule.at("/And/1/StringEquals").asText();
                matched.add(errorType);
                ErrorName name = ErrorName.ofErrorType(errorType).orElseThrow(() -> new AssertionError(errorType));
                JsonNode end = workflow.build.state(rule.get("Next").asText());
                assertEquals(name.name(), rule.get("Next").asText(), "the state is called by the short name");
                assertEquals("Fail", end.get("Type").asText());
                assertEquals(name.name(), end.get("Error").asText(), "the console shows the short name");
                assertEquals("$.error.Cause", end.get("CausePath").asText(), "the cause as caught");
            } else if ("$.error".equals(rule.path("Variable").asText())) {
                catchAllRule = i;
            }
        }
        assertEquals(Arrays.stream(ErrorName.values()).map(ErrorName::errorType).toList(), matched);
        assertEquals(matched.size(), catchAllRule, "the named rules come before the rule for any other error");
    }

    @Test
    void everyErrorEqualsThatNamesAHandlerErrorUsesTheClassNameLambdaReports() {
        Set<String> shortNames = Arrays.stream(ErrorName.values()).map(ErrorName::name).collect(Collectors.toSet());
        List<String> named = new ArrayList<>();
        for (Asl asl : List.of(workflow.build, workflow.cleanup)) {
            asl.states.forEach((state, node) -> {
                for (String list : List.of("Retry", "Catch")) {
                    node.path(list).forEach(rule -> rule.get("ErrorEquals").forEach(error -> {
                        assertFalse(shortNames.contains(error.asText()),
                                state + " matches " + error + ", which no Lambda error is ever called");
                        ErrorName.ofErrorType(error.asText()).ifPresent(n -> named.add(n.name()));
                    }));
                }
            });
        }
        assertTrue(named.containsAll(List.of("AwsTransient", "AwsNotReady", "InvalidInput")), named.toString());
    }
}
