package org.funtoo.amibuilder.lambdas.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.sim.SimResource;
import org.junit.jupiter.api.Test;

class DeleteFailedImageCopiesHandlerTest {
    private final Fixture f = new Fixture(CopyImageHandlerTest.TWO_REGIONS);
    private final DeleteFailedImageCopiesHandler handler = new DeleteFailedImageCopiesHandler(f.aws::ec2);

    @Test
    void deregistersTheCopiesInEveryRegionThenDeletesTheirSnapshots() {
        Map<String, Object> resources = f.copiesAvailable();

        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);

        Expect.absent(after, Resources.COPIES);
        assertEquals(List.of(), inOtherRegions());
        assertEquals(List.of("image", "snapshot"), f.inventory().stream().filter(r -> r.region().equals("us-east-1"))
                .filter(r -> r.type().equals("image") || r.type().equals("snapshot")).map(SimResource::type).sorted()
                .toList(), "the build's own image is DeleteFailedImage's, not this step's");
    }

    @Test
    void pendingCopiesAreFoundByTagWhenTheirIdsWereNeverRecorded() {
        Map<String, Object> resources = new LinkedHashMap<>(new CopyImageHandler(f.aws::ec2)
                .handleRequest(f.doc(f.smokeTested()), null));
        resources.remove(Resources.COPIES);

        handler.handleRequest(f.doc(resources), null);

        assertEquals(List.of(), inOtherRegions());
    }

    @Test
    void othersImagesInTheRegionAreNotTouchedAndARetryIsHarmless() {
        Map<String, Object> resources = f.copiesAvailable();
        String theirs = f.aws.ec2("eu-west-1").copyImage(r -> r.sourceRegion("us-east-1")
                .sourceImageId((String) resources.get(Resources.IMAGE_ID)).name("someone-elses-copy")).imageId();

        handler.handleRequest(f.doc(resources), null);
        handler.handleRequest(f.doc(resources), null);

        assertEquals(List.of(theirs), f.aws.ec2("eu-west-1").describeImages(r -> r.owners("self")).images().stream()
                .map(i -> i.imageId()).toList());
    }

    @Test
    void janitorsBareDocumentKnowsNoRegionsAndCallsNothing() {
        f.copiesAvailable();
        long before = f.aws.calls().size();
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertEquals(before, f.aws.calls().size());
    }

    private List<SimResource> inOtherRegions() {
        return f.inventory().stream().filter(r -> !r.region().equals("us-east-1")).toList();
    }
}
