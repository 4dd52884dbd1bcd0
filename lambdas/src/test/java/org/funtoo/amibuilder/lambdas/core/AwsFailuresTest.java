package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ssm.model.ThrottlingException;

/** The handlers' one error contract: the SDK decides what is transient, waiting heals a short list, the rest fails. */
class AwsFailuresTest {

    private static Ec2Exception ec2(String code, int status) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status).message(code)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("because").build()).build();
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource({
            "RequestLimitExceeded, 400, AwsTransient",
            "InternalError, 500, AwsTransient",
            "Unavailable, 503, AwsTransient",
            "VcpuLimitExceeded, 400, AwsNotReady",
            "VpcLimitExceeded, 400, AwsNotReady",
            "InsufficientInstanceCapacity, 500, AwsNotReady",
            "InsufficientInstanceCapacity, 400, AwsNotReady",
            "DependencyViolation, 400, AwsNotReady",
            "InvalidParameterValue, 400, HelperFailed",
            "UnauthorizedOperation, 403, HelperFailed"})
    void ec2ErrorsAreClassifiedOnce(String code, int status, ErrorName expected) {
        BuildFailure f = AwsFailures.classify(ec2(code, status), ErrorName.HelperFailed, "LaunchHelperInstanceHandler");
        assertEquals(expected, f.errorName());
        assertEquals(expected.errorType(), f.getClass().getName(), "the class Step Functions sees");
        assertTrue(f.getMessage().contains("LaunchHelperInstanceHandler") && f.getMessage().contains(code),
                f.getMessage());
    }

    @Test
    void modeledThrottlingOfOtherServicesAndClientSideFailuresAreTransient() {
        ThrottlingException throttled = (ThrottlingException) ThrottlingException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        assertEquals(ErrorName.AwsTransient, AwsFailures.classify(throttled, ErrorName.BootstrapFailed, "h")
                .errorName());
        assertEquals(ErrorName.AwsTransient, AwsFailures.classify(SdkClientException.create("connection reset"),
                ErrorName.BootstrapFailed, "h").errorName());
    }
}
