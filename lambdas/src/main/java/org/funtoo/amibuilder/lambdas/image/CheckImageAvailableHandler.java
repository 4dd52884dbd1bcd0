package org.funtoo.amibuilder.lambdas.image;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

/** Wait loop: until the image is {@code available}; {@code failed}, {@code invalid}, ... are {@code ImageFailed}. */
public final class CheckImageAvailableHandler extends Handler {
    static final long ESTIMATE_SECONDS = 30;
    private final Ec2Client ec2;
    private final Clock clock;

    public CheckImageAvailableHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckImageAvailableHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.ImageFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        String imageId = doc.resources().require(Resources.IMAGE_ID);
        Optional<Image> found = describe(imageId);
        if (found.isEmpty()) {
            return poll.waiting("unknown", ESTIMATE_SECONDS);
        }
        Image image = found.get();
        String state = image.stateAsString();
        switch (state) {
            case "available":
                return poll.done(state);
            case "pending":
                return poll.waiting(state, ESTIMATE_SECONDS);
            default:
                String reason = image.stateReason() == null ? "" : ": " + image.stateReason().message();
                throw BuildFailure.of(ErrorName.ImageFailed, "image " + imageId + " is " + state + reason);
        }
    }

    private Optional<Image> describe(String imageId) {
        try {
            return ec2.describeImages(r -> r.imageIds(imageId)).images().stream().findFirst();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
