package org.funtoo.amibuilder.lambdas.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class DeprecateImageHandlerTest {

    @Test
    void imageAndCopiesAreDeprecatedThatManyDaysFromNowToTheMinute() {
        Fixture f = new Fixture("{\"publish\":{\"deprecateAfterDays\":90,\"copyToRegions\":[\"eu-west-1\"]}}");
        Map<String, Object> resources = f.copiesAvailable();
        f.aws.clock().advance(Duration.ofSeconds(50));
        Instant now = f.aws.clock().instant();

        new DeprecateImageHandler(f.deps()).handleRequest(f.doc(resources), null);

        String expected = now.plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.MINUTES).toString()
                .replace("Z", ".000Z");
        assertEquals(expected, deprecation(f, "us-east-1", (String) resources.get(Resources.IMAGE_ID)));
        assertEquals(expected, deprecation(f, "eu-west-1", CopyImageHandlerTest.copies(resources).get("eu-west-1")));
    }

    @Test
    void theLongestDeprecationTheInputAllowsIsWithinAwssTenYears() {
        Fixture f = new Fixture("{\"publish\":{\"deprecateAfterDays\":3650}}");
        Map<String, Object> resources = f.smokeTested();
        // at hh:mm:59, rounding to the nearest minute instead of cutting would land past ten years
        long second = f.aws.clock().instant().getEpochSecond() % 60;
        f.aws.clock().advance(Duration.ofSeconds((59 - second + 60) % 60));

        new DeprecateImageHandler(f.deps()).handleRequest(f.doc(resources), null);

        assertEquals(1, f.aws.calls().matching(c -> c.operation().equals("EnableImageDeprecation")
                && c.succeeded()).size());
    }

    @Test
    void withoutDeprecateAfterDaysNothingIsCalled() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.smokeTested();
        new DeprecateImageHandler(f.deps()).handleRequest(f.doc(resources), null);
        assertEquals(0, f.calls("ec2", "EnableImageDeprecation"));
    }

    private static String deprecation(Fixture f, String region, String imageId) {
        return f.aws.ec2(region).describeImages(r -> r.imageIds(imageId)).images().get(0).deprecationTime();
    }
}
