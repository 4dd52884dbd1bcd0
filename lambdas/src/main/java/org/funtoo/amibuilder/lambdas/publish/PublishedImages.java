package org.funtoo.amibuilder.lambdas.publish;

import java.util.ArrayList;
import java.util.List;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;

/** The image in the build's region and its copies ({@code resources.copies}): what publishing acts on. */
public record PublishedImages(String region, String imageId) {

    /**
     * Like {@link #of}, each image checked to be this build's (its own image, or its copy in that region) before
     * anything is published: a function invoked with another input must not share or deprecate other images.
     */
    public static List<PublishedImages> ofBuild(StateDocument doc, java.util.function.Function<String,
            software.amazon.awssdk.services.ec2.Ec2Client> ec2) {
        List<PublishedImages> all = of(doc);
        for (PublishedImages image : all) {
            BuildOwnership.requireImage(ec2.apply(image.region()), image.region(), image.imageId(),
                    doc.config().buildId(), image.region().equals(doc.config().region()) ? "resources.imageId"
                            : "resources.copies." + image.region());
        }
        return all;
    }

    /** The build's own image first, then its copies in the order they were asked for. */
    public static List<PublishedImages> of(StateDocument doc) {
        Resources resources = doc.resources();
        List<PublishedImages> all = new ArrayList<>();
        all.add(new PublishedImages(doc.config().region(), resources.require(Resources.IMAGE_ID)));
        resources.strings(Resources.COPIES).forEach((region, imageId) -> all.add(new PublishedImages(region, imageId)));
        return all;
    }
}
