package org.funtoo.amibuilder.sim;

import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Simulated EC2 of one region (placeholder: operations arrive with the foundation issue). */
public final class SimEc2 implements Ec2Client, SimService {
    private final SimAws aws;
    private final String region;

    SimEc2(SimAws aws, String region) {
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

    /**
     * When the instance entered {@code running} (empty while pending or unknown); SSM's agent-online timing and the
     * status checks count from here.
     */
    public java.util.Optional<java.time.Instant> runningSince(String instanceId) {
        return java.util.Optional.empty();
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
