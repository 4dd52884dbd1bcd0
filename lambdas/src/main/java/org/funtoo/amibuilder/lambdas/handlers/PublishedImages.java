package org.funtoo.amibuilder.lambdas.handlers;

import java.util.ArrayList;
import java.util.List;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;

/** The image in the build's region and its copies ({@code resources.copies}): what publishing acts on. */
record PublishedImages(String region, String imageId) {

    /** The build's own image first, then its copies in the order they were asked for. */
    static List<PublishedImages> of(StateDocument doc) {
        Resources resources = doc.resources();
        List<PublishedImages> all = new ArrayList<>();
        all.add(new PublishedImages(doc.config().region(), resources.require(Resources.IMAGE_ID)));
        resources.strings(Resources.COPIES).forEach((region, imageId) -> all.add(new PublishedImages(region, imageId)));
        return all;
    }
}
