package org.funtoo.amibuilder.e2e;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;

/** Harness self-test handler: reports the simulated time it ran at, or fails as its input asks. */
public final class ClockProbeHandler implements RequestHandler<Map<String, Object>, Object> {
    private final Clock clock;
    private int calls;

    /** Built by the harness like every handler: from its dependencies, of which it takes the clock. */
    public ClockProbeHandler(HandlerDependencies deps) {
        this.clock = deps.clock();
    }

    @Override
    public Object handleRequest(Map<String, Object> input, Context context) {
        calls++;
        Object failUntil = input.get("failUntilCall");
        if (failUntil instanceof Number n && calls <= n.intValue()) {
            throw new IllegalStateException("transient failure " + calls);
        }
        if (input.containsKey("named")) {
            throw BuildFailure.of(ErrorName.valueOf((String) input.get("named")), "asked to fail");
        }
        return Map.of("now", clock.instant().toString(), "calls", calls);
    }
}
