package org.funtoo.amibuilder.lambdas.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.CallLog;
import org.funtoo.amibuilder.sim.SimAws;
import org.funtoo.amibuilder.sim.SimResource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsRequest;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

class DeleteFailedImageCopiesHandlerTest {
    /** The account's enabled regions but the build's own: where the janitor looks for copies. */
    private static final int OTHER_REGIONS = 16;
    private final Fixture f = new Fixture(CopyImageHandlerTest.TWO_REGIONS);
    private final DeleteFailedImageCopiesHandler handler =
            new DeleteFailedImageCopiesHandler(f.deps());

    @Test
    void deregistersTheCopiesInEveryRegionThenDeletesTheirSnapshots() {
        Map<String, Object> resources = f.copiesAvailable();

        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);

        Expect.absent(after, Resources.COPIES);
        assertEquals(List.of(), inOtherRegions());
        assertEquals(List.of("image", "snapshot"), ownImageAndSnapshot(),
                "the build's own image is DeleteFailedImage's, not this step's");
    }

    @Test
    void pendingCopiesAreFoundByTagWhenTheirIdsWereNeverRecorded() {
        Map<String, Object> resources = new LinkedHashMap<>(new CopyImageHandler(f.deps())
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

        assertEquals(List.of(theirs), imageIds("eu-west-1"));
    }

    @Test
    void buildThatAskedForNoCopiesLooksNowhere() {
        Fixture noCopies = new Fixture();
        Map<String, Object> resources = noCopies.smokeTested();
        long before = noCopies.aws.calls().size();

        new DeleteFailedImageCopiesHandler(noCopies.deps())
                .handleRequest(noCopies.doc(resources), null);

        assertEquals(before, noCopies.aws.calls().size(), "copyToRegions [] means none, not unknown");
    }

    @Test
    void janitorsBareDocumentFindsPendingCopiesInEveryOtherEnabledRegion() {
        new CopyImageHandler(f.deps()).handleRequest(f.doc(f.smokeTested()), null);
        assertEquals(List.of("pending", "pending"), inOtherRegions().stream().filter(r -> r.type().equals("image"))
                .map(SimResource::state).toList());
        f.aws.calls().clear();

        Map<String, Object> after = handler.handleRequest(Fixture.janitorDoc(), null);

        assertEquals(Map.of(), after);
        assertEquals(List.of(), inOtherRegions());
        assertEquals(List.of("image", "snapshot"), ownImageAndSnapshot());
        List<CallLog.Call> regions = f.aws.calls().matching(c -> c.operation().equals("DescribeRegions"));
        assertEquals(1, regions.size());
        assertEquals(null, ((DescribeRegionsRequest) regions.get(0).request()).allRegions(),
                "enabled regions only: copies cannot be anywhere else");
        assertEquals(OTHER_REGIONS, f.calls("ec2", "DescribeImages"), "one look per other region, none at home");
        assertEquals(OTHER_REGIONS, f.calls("ec2", "DescribeSnapshots"));
    }

    @Test
    void janitorDeletesOnlyManagedImagesOfTheBuildWhereverItLooks() {
        Map<String, Object> resources = f.copiesAvailable();
        String imageId = (String) resources.get(Resources.IMAGE_ID);
        String theirs = f.aws.ec2("eu-west-1").copyImage(r -> r.sourceRegion("us-east-1").sourceImageId(imageId)
                .name("someone-elses-copy")).imageId();
        String unmanaged = f.aws.ec2("sa-east-1").copyImage(r -> r.sourceRegion("us-east-1").sourceImageId(imageId)
                .name("tagged-by-hand").tagSpecifications(t -> t.resourceType(ResourceType.IMAGE)
                        .tags(Tag.builder().key(Tags.BUILD_ID).value(Fixture.BUILD_ID).build()))).imageId();

        handler.handleRequest(Fixture.janitorDoc(), null);

        assertEquals(List.of(theirs), imageIds("eu-west-1"));
        assertEquals(List.of(), imageIds("ap-southeast-2"));
        assertEquals(List.of(unmanaged), imageIds("sa-east-1"), "the build's id without the managed marker");
        assertEquals(List.of(imageId), imageIds("us-east-1"), "the home region is DeleteFailedImage's");
    }

    @Test
    void aRegionClosedToTheBuilderDoesNotStopTheSearchOfTheOthers() {
        f.copiesAvailable();
        f.aws.calls().clear();
        f.aws.faults().failNth("ec2", "DescribeImages", 1, "UnauthorizedOperation");

        handler.handleRequest(Fixture.janitorDoc(), null);

        assertEquals("UnauthorizedOperation", f.aws.calls().matching(c -> c.operation().equals("DescribeImages"))
                .get(0).errorCode(), "us-east-2, the first region searched, is closed (an SCP)");
        assertEquals(List.of(), inOtherRegions());
    }

    @Test
    void throttlingInARegionIsLeftToTheStateMachinesRetry() {
        f.copiesAvailable();
        f.aws.faults().failNth("ec2", "DescribeSnapshots", 3, "RequestLimitExceeded");

        Expect.retried(ErrorName.AwsTransient, "RequestLimitExceeded", () -> handler.handleRequest(Fixture.janitorDoc(), null));
        handler.handleRequest(Fixture.janitorDoc(), null);

        assertEquals(List.of(), inOtherRegions());
    }

    private List<SimResource> inOtherRegions() {
        return f.inventory().stream().filter(r -> !r.region().equals(SimAws.HOME_REGION)).toList();
    }

    private List<String> ownImageAndSnapshot() {
        return f.inventory().stream().filter(r -> r.region().equals(SimAws.HOME_REGION))
                .filter(r -> r.type().equals("image") || r.type().equals("snapshot")).map(SimResource::type)
                .sorted().toList();
    }

    private List<String> imageIds(String region) {
        return f.aws.ec2(region).describeImages(r -> r.owners("self")).images().stream().map(Image::imageId)
                .toList();
    }
}
