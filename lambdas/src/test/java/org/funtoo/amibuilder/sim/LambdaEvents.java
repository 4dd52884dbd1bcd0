package org.funtoo.amibuilder.sim;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.time.Instant;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Json;

/**
 * Events as a function receives them: JSON read by aws-lambda-java-serialization, which is what Lambda's Java
 * runtime reads an event of an aws-lambda-java-events type with (its names such as {@code detail-type}, its
 * dates), and AWS's documented example events.
 */
public final class LambdaEvents {
    /**
     * The event an EventBridge schedule rule sends a function, as "Using AWS Lambda with Amazon EventBridge
     * (CloudWatch Events)" shows it (https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchevents.html).
     */
    public static final String SCHEDULED_EVENT_EXAMPLE = "/events/scheduled-event.json";

    private LambdaEvents() {
    }

    /** {@code json} read into {@code type} the way the Java runtime reads a handler's input. */
    public static <T> T read(Class<T> type, String json) {
        return LambdaEventSerializers.serializerFor(type, type.getClassLoader()).fromJson(json);
    }

    /** AWS's example scheduled event, fired at {@code time}, as the function receives it. */
    public static ScheduledEvent scheduledAt(Instant time) {
        Map<String, Object> event = example(SCHEDULED_EVENT_EXAMPLE);
        event.put("time", time.toString());
        return read(ScheduledEvent.class, Json.write(event));
    }

    /** An example event document from the class path. */
    public static Map<String, Object> example(String resource) {
        return Json.resource(LambdaEvents.class, resource, "lambdas/src/test/resources");
    }
}
