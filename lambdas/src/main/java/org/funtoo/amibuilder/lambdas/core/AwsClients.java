package org.funtoo.amibuilder.lambdas.core;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds the SDK clients a handler's no-argument constructor needs, once per Lambda instance.
 *
 * <p>The region comes from {@code AWS_REGION} explicitly, so the SDK does not walk its region provider chain on a
 * cold start. The URL-connection HTTP client is much lighter to load than the SDK's default (Apache) client; the
 * cold-start benchmark in the test tree quantifies it. The SDK retries only once: Step Functions retries every
 * Task with backoff and jitter, and retries inside a Lambda would just burn its timeout. An endpoint override for
 * tests or benchmarks is taken by the SDK itself from {@code AWS_ENDPOINT_URL_EC2} / {@code AWS_ENDPOINT_URL_SSM}.
 */
public final class AwsClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(20);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(25);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(55);
    public static final int MAX_ATTEMPTS = 2;

    private AwsClients() {
    }

    public static Ec2Client ec2() {
        return configure(Ec2Client.builder()).httpClientBuilder(httpClient()).build();
    }

    public static SsmClient ssm() {
        return configure(SsmClient.builder()).httpClientBuilder(httpClient()).build();
    }

    /** EC2 of another region (image copies): build it through {@link RegionalClients}, once per region. */
    public static Ec2Client ec2(String region) {
        return configure(Ec2Client.builder(), Region.of(region)).httpClientBuilder(httpClient()).build();
    }

    public static SsmClient ssm(String region) {
        return configure(SsmClient.builder(), Region.of(region)).httpClientBuilder(httpClient()).build();
    }

    public static SfnClient sfn() {
        return configure(SfnClient.builder()).httpClientBuilder(httpClient()).build();
    }

    public static EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder()).httpClientBuilder(httpClient()).build();
    }

    public static SnsClient sns() {
        return configure(SnsClient.builder()).httpClientBuilder(httpClient()).build();
    }

    /** The lightweight HTTP client every handler uses. */
    public static SdkHttpClient.Builder<?> httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT);
    }

    /** Region, credentials, timeouts and retries shared by every client; the caller picks the HTTP client. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder) {
        return configure(builder, region());
    }

    /** The same settings for a client of {@code region}. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder,
                                                                                               Region region) {
        return builder
                .region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(b -> b.maxAttempts(MAX_ATTEMPTS))
                        .build());
    }

    public static Region region() {
        return Region.of(Env.require(Env.AWS_REGION));
    }
}
