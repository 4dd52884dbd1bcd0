package org.funtoo.amibuilder.e2e;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.funtoo.amibuilder.lambdas.core.AwsClients;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The SDK client's own retries, which the simulated clients (called directly, without the SDK's HTTP pipeline)
 * would otherwise skip: a throttled or 5xx call is tried again, up to the attempts {@link AwsClients} configures
 * for the deployed functions. Its backoff is milliseconds, so it does not move the simulated clock; every attempt
 * is a call of its own in the simulation's log, as it would be in CloudTrail.
 */
final class SdkRetries {
    private SdkRetries() {
    }

    @SuppressWarnings("unchecked")
    static <T> T wrap(Class<T> client, T target) {
        return (T) Proxy.newProxyInstance(client.getClassLoader(), new Class<?>[] {client}, (proxy, method, args) -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    boolean retryable = cause instanceof AwsServiceException aws
                            && (aws.isThrottlingException() || aws.statusCode() >= 500);
                    if (!retryable || attempt >= AwsClients.MAX_ATTEMPTS) {
                        throw cause;
                    }
                }
            }
        });
    }
}
