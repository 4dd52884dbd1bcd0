package org.funtoo.amibuilder.lambdas.input;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DeviceType;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Preflight: the helper's AMI. By default the latest Amazon Linux 2023 of the build's architecture (it ships the
 * SSM agent), from AWS's public parameter; a caller-given image is checked to exist, be available, EBS-backed and
 * of the build's architecture, since the helper must mount and write an EBS volume of that architecture, and to
 * belong to an owner the stack allows ({@code helperImageOwners}: the helper runs the bootstrap as root with the
 * helper role). A wrong owner is the caller's to fix ({@code InvalidInput}), found here, before the network
 * states create anything; LaunchHelperInstance checks it again for a direct invocation.
 */
public final class ResolveHelperImageHandler extends Handler {
    static final String LATEST_AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";
    private final SsmClient ssm;
    private final Ec2Client ec2;
    private final List<String> helperImageOwners;

    public ResolveHelperImageHandler() {
        this(HandlerDependencies.lambda());
    }

    /** {@code HELPER_IMAGE_OWNERS} as for {@link LaunchHelperInstanceHandler}: {@code amazon} and account ids. */
    public ResolveHelperImageHandler(HandlerDependencies deps) {
        this.ssm = deps.ssm();
        this.ec2 = deps.ec2();
        this.helperImageOwners = LaunchHelperInstanceHandler.owners(deps.require(Env.HELPER_IMAGE_OWNERS));
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PreflightFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        String imageId = config.helperImageId().orElseGet(() -> ssm.getParameter(r -> r
                .name(LATEST_AL2023 + config.architecture())).parameter().value());
        Image image = describe(imageId);
        LaunchHelperInstanceHandler.requireAllowedOwner(image, helperImageOwners, config.helperImageId().isPresent()
                ? "helper.imageId: " + imageId
                : "the default helper image " + imageId + " (latest Amazon Linux 2023; give helper.imageId instead)");
        if (image.state() != ImageState.AVAILABLE) {
            throw failure(imageId + " is " + image.stateAsString() + ", not available");
        }
        if (!config.architecture().equals(image.architectureAsString())) {
            throw failure(imageId + " is " + image.architectureAsString() + " but the build is "
                    + config.architecture() + " (the helper must run the target's architecture)");
        }
        if (image.rootDeviceType() != DeviceType.EBS) {
            throw failure(imageId + " is instance-store backed; the helper needs an EBS-backed image");
        }
        return doc.resources().with(Resources.HELPER_IMAGE_ID, imageId).toMap();
    }

    private Image describe(String imageId) {
        try {
            return ec2.describeImages(r -> r.imageIds(imageId)).images().stream().findFirst()
                    .orElseThrow(() -> failure(imageId + " does not exist or is not visible to this account"));
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e) || AwsErrors.code(e).startsWith("InvalidAMIID")) {
                throw failure(imageId + " does not exist or is not visible to this account");
            }
            throw e;
        }
    }

    private static BuildFailure failure(String what) {
        return BuildFailure.of(ErrorName.PreflightFailed, "helper image: " + what);
    }
}
