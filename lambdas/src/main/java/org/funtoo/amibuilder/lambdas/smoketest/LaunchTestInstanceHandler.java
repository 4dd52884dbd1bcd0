package org.funtoo.amibuilder.lambdas.smoketest;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import org.funtoo.amibuilder.lambdas.network.Network;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;

/**
 * Smoke test, first step: boot the new AMI as a user would, on the smallest type of its architecture
 * ({@code smokeTest.instanceType}) in the build's subnet and security group. No key pair, no instance profile and
 * no ingress: the test reads only what EC2 itself reports (status checks, serial console). IMDSv2 is required, as
 * the image's first-boot service must fetch its key and hostname with a session token. The ClientToken comes from
 * the build id, so a retried Task gets the first attempt's instance.
 *
 * <p>EC2 refusing to launch the image at all (boot mode, ENA, architecture, quota) is the smoke test's verdict:
 * {@code SmokeTestFailed} with AWS's reason; capacity and throttling are left to the state machine's retry.
 */
public final class LaunchTestInstanceHandler extends Handler {
    static final String PURPOSE = "test-instance";
    static final String VOLUMES_PURPOSE = "test-volume";
    static final String INTERFACE_PURPOSE = "test-interface";
    static final String TOKEN_PURPOSE = "smoke";
    /** Refusals worth a message of their own; quota and capacity errors heal by waiting (core/AwsFailures). */
    static final Set<String> HOPELESS = Set.of("InvalidParameterCombination", "InvalidParameterValue", "Unsupported", "UnsupportedOperation",
            "InvalidAMIID.Unavailable", "IdempotentInstanceTerminated");
    private final Ec2Client ec2;

    public LaunchTestInstanceHandler() {
        this(HandlerDependencies.lambda());
    }

    public LaunchTestInstanceHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.SmokeTestFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        String buildId = doc.config().buildId();
        String instanceId = existing(buildId).orElseGet(() -> launch(doc));
        return doc.resources().with(Resources.TEST_INSTANCE_ID, instanceId).toMap();
    }

    private String launch(StateDocument doc) {
        BuildConfig config = doc.config();
        String imageId = doc.resources().require(Resources.IMAGE_ID);
        // only the image this build registered (the launch policy also wants it this account's and managed)
        BuildOwnership.requireImage(ec2, config.region(), imageId, config.buildId(), "resources.imageId");
        Network network = Network.of(doc);
        try {
            return ec2.runInstances(r -> r
                            .clientToken(LaunchHelperInstanceHandler.clientToken(config.buildId(), TOKEN_PURPOSE))
                            .imageId(imageId)
                            .instanceType(config.smokeTestInstanceType())
                            .minCount(1).maxCount(1)
                            .subnetId(network.subnetId())
                            .securityGroupIds(network.securityGroupId())
                            .instanceInitiatedShutdownBehavior(ShutdownBehavior.TERMINATE)
                            .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED).httpPutResponseHopLimit(1)
                                    .httpEndpoint(InstanceMetadataEndpointState.ENABLED))
                            // each created resource is authorized with its own tags (see LaunchHelperInstanceHandler)
                            .tagSpecifications(Tags.spec(ResourceType.INSTANCE, config.buildId(), PURPOSE),
                                    Tags.spec(ResourceType.VOLUME, config.buildId(), VOLUMES_PURPOSE),
                                    Tags.spec(ResourceType.NETWORK_INTERFACE, config.buildId(), INTERFACE_PURPOSE)))
                    .instances().get(0).instanceId();
        } catch (AwsServiceException e) {
            if (HOPELESS.contains(AwsErrors.code(e))) {
                throw BuildFailure.of(ErrorName.SmokeTestFailed, "cannot launch a test instance ("
                        + config.smokeTestInstanceType() + ") from " + imageId + ": " + AwsErrors.code(e) + ": "
                        + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
    }

    /** This build's live test instance, found by its tags. */
    private Optional<String> existing(String buildId) {
        return ec2.describeInstances(r -> r.filters(Tags.ofPurpose(buildId, PURPOSE,
                        Tags.filter("instance-state-name", "pending", "running", "stopping", "stopped"))))
                .reservations().stream().flatMap(r -> r.instances().stream())
                .map(Instance::instanceId).findFirst();
    }
}
