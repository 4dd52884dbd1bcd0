package org.funtoo.amibuilder.lambdas.input;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * Preflight: AMI names are unique per account and region, and RegisterImage would refuse a taken one only after
 * the whole build. An image of this very build (a redriven execution) does not count as taken.
 */
public final class CheckImageNameHandler extends Handler {
    private final Ec2Client ec2;

    public CheckImageNameHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckImageNameHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PreflightFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        String name = config.imageName();
        ec2.describeImages(r -> r.owners("self").filters(Tags.filter("name", name))).images().stream()
                .filter(image -> !Tags.value(image.tags(), Tags.BUILD_ID).filter(config.buildId()::equals).isPresent())
                .map(Image::imageId)
                .findFirst()
                .ifPresent(taken -> {
                    throw BuildFailure.of(ErrorName.PreflightFailed, "image.name \"" + name + "\" is already used by "
                            + taken + " in " + config.region() + "; choose another name (e.g. add {timestamp})"
                            + " or deregister that image");
                });
        return doc.resources().toMap();
    }
}
