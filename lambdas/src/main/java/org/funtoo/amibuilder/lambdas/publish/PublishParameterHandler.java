package org.funtoo.amibuilder.lambdas.publish;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * Publish, the point where users see the new image: {@code publish.ssmParameterName} (by default
 * {@code /funtoo-ami-builder/<distribution>/<arch>/latest}, like AWS's public image parameters) gets the image id,
 * with data type {@code aws:ec2:image} so that launch templates can resolve it, in the build's region and in each
 * copy's region (with that copy's id). Copies go first and the build's region last, all after every copy is
 * available and the smoke test passed: no parameter ever points at an image a failing build deletes.
 *
 * <p>The first build creates the parameter with the builder's tags; later builds overwrite it, and AWS accepts no
 * tags together with Overwrite, so creation is tried first and an existing parameter is overwritten without tags.
 */
public final class PublishParameterHandler extends Handler {
    static final String PURPOSE = "parameter";
    static final String DATA_TYPE = "aws:ec2:image";
    private final Function<String, SsmClient> ssm;
    private final Function<String, Ec2Client> ec2;

    public PublishParameterHandler() {
        this(HandlerDependencies.lambda());
    }

    /** EC2 per region: each image is checked to be this build's before its id is published. */
    public PublishParameterHandler(HandlerDependencies deps) {
        this.ssm = deps.ssmByRegion();
        this.ec2 = deps.ec2ByRegion();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PublishFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        String name = config.ssmParameterName().orElseThrow(() ->
                new IllegalStateException("config.publish.ssmParameterName is missing"));
        // the parameter is what users launch: it names only this build's image and copies
        List<PublishedImages> images = PublishedImages.ofBuild(doc, ec2);
        for (PublishedImages image : images.subList(1, images.size())) {
            put(config, name, image);
        }
        put(config, name, images.get(0));
        return doc.resources().toMap();
    }

    private void put(BuildConfig config, String name, PublishedImages image) {
        SsmClient client = ssm.apply(image.region());
        String description = config.imageName() + " (funtoo-ami-builder " + config.buildId() + ")";
        try {
            try {
                client.putParameter(r -> r.name(name).value(image.imageId()).type(ParameterType.STRING)
                        .dataType(DATA_TYPE).description(description).overwrite(false)
                        .tags(Tags.of(config.buildId(), PURPOSE).stream()
                                .map(t -> Tag.builder().key(t.key()).value(t.value()).build()).toList()));
            } catch (ParameterAlreadyExistsException e) {
                client.putParameter(r -> r.name(name).value(image.imageId()).type(ParameterType.STRING)
                        .dataType(DATA_TYPE).description(description).overwrite(true));
            }
        } catch (AwsServiceException e) {
            String code = AwsErrors.code(e);
            if (code.equals("ValidationException") || code.equals("AccessDeniedException")
                    || code.equals("HierarchyLevelLimitExceededException")
                    || code.equals("ParameterPatternMismatchException")) {
                throw BuildFailure.of(ErrorName.PublishFailed, "cannot put " + image.imageId() + " into SSM parameter "
                        + name + " in " + image.region() + ": " + code + ": " + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
    }
}
