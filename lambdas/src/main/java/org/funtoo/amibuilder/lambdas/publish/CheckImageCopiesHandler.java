package org.funtoo.amibuilder.lambdas.publish;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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

/**
 * Publish wait loop: until every copy of {@code resources.copies} is {@code available} in its region. A copy that
 * ends {@code failed} (or vanishes) is {@code PublishFailed}. Copies carry their tags from the CopyImage request, so
 * nothing is tagged afterwards; the copies' SSM parameters are written by {@code PublishParameterHandler} once
 * every copy is usable, so that no parameter ever points at a copy that a failing build then deletes.
 */
public final class CheckImageCopiesHandler extends Handler {
    /** A cross-region copy takes minutes to tens of minutes; looking every minute is plenty. */
    static final long ESTIMATE_SECONDS = 60;
    private final Function<String, Ec2Client> ec2;
    private final Clock clock;

    public CheckImageCopiesHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckImageCopiesHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2ByRegion();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PublishFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        List<String> waitingFor = new ArrayList<>();
        for (Map.Entry<String, String> copy : doc.resources().strings(Resources.COPIES).entrySet()) {
            String region = copy.getKey();
            String imageId = copy.getValue();
            Optional<Image> image = describe(region, imageId);
            String state = image.map(Image::stateAsString).orElse("unknown");
            switch (state) {
                case "available":
                    break;
                // a fresh copy may be unknown to DescribeImages for a few seconds
                case "pending", "unknown":
                    waitingFor.add(region + " " + state);
                    break;
                default:
                    String reason = image.map(Image::stateReason).map(r -> ": " + r.message()).orElse("");
                    throw BuildFailure.of(ErrorName.PublishFailed, "copy " + imageId + " in " + region + " is "
                            + state + reason);
            }
        }
        if (waitingFor.isEmpty()) {
            return poll.done("available");
        }
        return poll.waiting(String.join(", ", waitingFor), ESTIMATE_SECONDS);
    }

    private Optional<Image> describe(String region, String imageId) {
        try {
            return ec2.apply(region).describeImages(r -> r.imageIds(imageId)).images().stream().findFirst();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
