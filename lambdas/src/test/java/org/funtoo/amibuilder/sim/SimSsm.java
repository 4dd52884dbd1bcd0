package org.funtoo.amibuilder.sim;

import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Simulated SSM of one region (placeholder: operations arrive with the foundation issue). */
public final class SimSsm implements SsmClient, SimService {
    private final SimAws aws;
    private final String region;

    SimSsm(SimAws aws, String region) {
        this.aws = aws;
        this.region = region;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    @Override
    public List<SimResource> inventory() {
        return List.of();
    }

    @Override
    public AwsServiceException error(String code, String message) {
        return AwsServiceException.builder().message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }
}
