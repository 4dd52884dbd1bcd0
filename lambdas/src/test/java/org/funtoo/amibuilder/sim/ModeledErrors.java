package org.funtoo.amibuilder.sim;

import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Builds the exception the real SDK client would throw for an error code. SSM and Step Functions name every
 * modeled exception class after its error code ({@code ParameterNotFound} → {@code ParameterNotFoundException},
 * {@code ThrottlingException} → {@code ThrottlingException}), so the class is found by that rule; codes the
 * service does not model (an injected {@code RequestLimitExceeded}) get the service's base exception, as the SDK
 * does. The HTTP status matters to the SDK's retry policy: 5xx codes are retried as server errors.
 */
final class ModeledErrors {
    private final String modelPackage;
    private final Class<? extends AwsServiceException> baseException;
    private final Supplier<? extends AwsServiceException.Builder> baseBuilder;
    private final String serviceName;

    ModeledErrors(Class<? extends AwsServiceException> baseException,
                  Supplier<? extends AwsServiceException.Builder> baseBuilder, String serviceName) {
        this.modelPackage = baseException.getPackageName();
        this.baseException = baseException;
        this.baseBuilder = baseBuilder;
        this.serviceName = serviceName;
    }

    AwsServiceException of(String code, String message) {
        return builderFor(code)
                .message(message)
                .statusCode(statusOf(code))
                .requestId(UUID.randomUUID().toString())
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code).errorMessage(message).serviceName(serviceName).build())
                .build();
    }

    static int statusOf(String code) {
        return switch (code) {
            case "InternalServerError", "InternalFailure", "InternalError", "InternalServerException" -> 500;
            case "ServiceUnavailable", "Unavailable" -> 503;
            default -> 400;
        };
    }

    private AwsServiceException.Builder builderFor(String code) {
        String simpleName = code.endsWith("Exception") ? code : code + "Exception";
        try {
            Class<?> type = Class.forName(modelPackage + "." + simpleName);
            if (baseException.isAssignableFrom(type) && type != baseException) {
                return (AwsServiceException.Builder) type.getMethod("builder").invoke(null);
            }
        } catch (ClassNotFoundException e) {
            // not modeled by this service: the SDK throws the base exception with the code
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + simpleName, e);
        }
        return baseBuilder.get();
    }
}
