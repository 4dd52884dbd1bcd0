package org.funtoo.amibuilder.sim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Json;

/**
 * What Lambda's Java runtime makes of an exception a handler throws, which Step Functions puts into a Catch's
 * {@code Cause} as a JSON string, and whose {@code errorType} is the Catch's {@code Error}: {@code errorMessage}
 * (the localized message, or the class name when there is none), {@code errorType} (the class's fully qualified
 * name, as "AWS Lambda function errors in Java", https://docs.aws.amazon.com/lambda/latest/dg/java-exceptions.html,
 * shows) and {@code stackTrace}, one string per frame. The exception's cause is not reported: the runtime interface
 * client of the current Java runtimes converts a throwable with exactly these three
 * (aws/aws-lambda-java-libs, {@code LambdaErrorConverter.fromThrowable}); the nested {@code cause} on the page
 * above is the older Java 8 runtime's.
 */
public final class LambdaError {
    private LambdaError() {
    }

    /** The error type Step Functions matches {@code ErrorEquals} against. */
    public static String errorType(Throwable thrown) {
        return thrown.getClass().getName();
    }

    /** The error document of {@code thrown}, as JSON. */
    public static String cause(Throwable thrown) {
        return Json.write(document(thrown));
    }

    /** The error document of a failure that has no exception (one injected by a test): no stack, no cause. */
    public static String cause(String errorType, String message) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("errorMessage", message == null ? "" : message);
        doc.put("errorType", errorType);
        doc.put("stackTrace", List.of());
        return Json.write(doc);
    }

    private static Map<String, Object> document(Throwable thrown) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("errorMessage", thrown.getLocalizedMessage() == null ? errorType(thrown) : thrown.getLocalizedMessage());
        doc.put("errorType", errorType(thrown));
        doc.put("stackTrace", Arrays.stream(thrown.getStackTrace()).map(StackTraceElement::toString).toList());
        return doc;
    }
}
