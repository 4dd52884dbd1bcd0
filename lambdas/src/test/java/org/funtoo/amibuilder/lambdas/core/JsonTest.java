package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesMapsListsAndScalarsAsCompactJsonThatReadsBackTheSame() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t ü");
        value.put("count", 42);
        value.put("ratio", 0.5);
        value.put("ok", true);
        value.put("nothing", null);
        value.put("list", Arrays.asList(1, "two", null));
        value.put("nested", Map.of("copies", Map.of("eu-west-1", "ami-1")));

        String json = Json.write(value);

        assertTrue(json.startsWith("{\"text\":"), json);
        assertEquals(new ObjectMapper().readValue(json, Map.class), new ObjectMapper().convertValue(value, Map.class));
    }

    @Test
    void parseReadsJsonAndGivesNothingForOtherText() {
        assertEquals("boom", Json.parseObject("{\"errorMessage\":\"boom\"}").orElseThrow().get("errorMessage"));
        assertTrue(Json.parse("the task timed out").isEmpty());
        assertTrue(Json.parse("").isEmpty());
        assertTrue(Json.parse(null).isEmpty());
        assertEquals(List.of(), Json.parse("[]").orElseThrow());
        assertTrue(Json.parseObject("[]").isEmpty());
    }
}
