package org.funtoo.amibuilder.lambdas.input;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.InputValidator;
import org.funtoo.amibuilder.lambdas.core.Section;

/**
 * The first state: checks the execution input and writes the whole state document
 * {@code {config, resources: {}, poll: {}}}. Its Task state passes
 * {@code {"input.$": "$", "buildId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime"}}.
 * Throws {@code InvalidInput} before anything is created.
 */
public final class ValidateInputHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final String region;
    private final Clock clock;

    public ValidateInputHandler() {
        this(HandlerDependencies.lambda());
    }

    public ValidateInputHandler(HandlerDependencies deps) {
        this.region = deps.region();
        this.clock = deps.clock();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Section in = Section.of("", event);
        Instant startedAt = in.string("startedAt").map(Instant::parse).orElse(clock.instant());
        Map<String, Object> config = InputValidator.validate(
                event == null ? null : event.get("input"), in.string("buildId").orElse(null), startedAt, region);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("config", config);
        document.put("resources", new LinkedHashMap<>());
        document.put("poll", new LinkedHashMap<>());
        return document;
    }
}
