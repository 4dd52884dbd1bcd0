package org.funtoo.amibuilder.lambdas.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Publish: with {@code publish.deprecateAfterDays}, the image and its copies are deprecated that many days from now
 * (hidden from others' searches then, still launchable by id). The time is cut to the minute, which is AWS's
 * resolution: AWS rounds to the nearest minute otherwise, which could push 3650 days past its 10-year limit.
 */
public final class DeprecateImageHandler extends Handler {
    private final Function<String, Ec2Client> ec2;
    private final Clock clock;

    public DeprecateImageHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeprecateImageHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2ByRegion();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PublishFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        Optional<Integer> days = doc.config().deprecateAfterDays();
        if (days.isPresent()) {
            Instant at = clock.instant().plus(Duration.ofDays(days.get())).truncatedTo(ChronoUnit.MINUTES);
            for (PublishedImages image : PublishedImages.ofBuild(doc, ec2)) {
                deprecate(image, at);
            }
        }
        return doc.resources().toMap();
    }

    private void deprecate(PublishedImages image, Instant at) {
        try {
            ec2.apply(image.region()).enableImageDeprecation(r -> r.imageId(image.imageId()).deprecateAt(at));
        } catch (AwsServiceException e) {
            if (AwsErrors.code(e).equals("InvalidParameterValue")) {
                throw BuildFailure.of(ErrorName.PublishFailed, "cannot deprecate " + image.imageId() + " in "
                        + image.region() + " at " + at + ": " + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
    }
}
