package org.funtoo.amibuilder.lambdas.core;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Every Task state's Lambda: the whole state document in, one of the three result shapes of the handler contract
 * (ARCHITECTURE.md, "The handler contract") out.
 */
public abstract class Handler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public final Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        try {
            return handle(StateDocument.of(input));
        } catch (SdkException e) {
            throw AwsFailures.classify(e, failure(), handlerName());
        } catch (BuildFailure e) {
            // the failure notification names the failing state from this (BuildFailure#raisedIn)
            throw e.raisedIn(handlerName());
        } catch (RuntimeException e) {
            // a defect (a null, a bad parse): no retrier matches it and the catch-all takes it like any error; the
            // message still names the handler, so the notification can say which state failed
            throw new IllegalStateException(BuildFailure.raisedIn(handlerName(), String.valueOf(e)), e);
        }
    }

    protected abstract Map<String, Object> handle(StateDocument doc);

    private String handlerName() {
        return getClass().getSimpleName();
    }

    /** The named error an AWS error this handler does not expect becomes ({@link AwsFailures}). */
    protected abstract ErrorName failure();
}
