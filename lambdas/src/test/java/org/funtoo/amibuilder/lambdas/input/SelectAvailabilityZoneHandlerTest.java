package org.funtoo.amibuilder.lambdas.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class SelectAvailabilityZoneHandlerTest {
    private final Fixture f = new Fixture();
    private final SelectAvailabilityZoneHandler handler = new SelectAvailabilityZoneHandler(f.deps());

    @Test
    void picksTheFirstZoneOfferingTheHelperType() {
        Map<String, Object> resources = handler.handleRequest(f.doc(Map.of("helperImageId", "ami-1")), null);
        assertEquals("us-east-1a", resources.get(Resources.AVAILABILITY_ZONE));
        assertEquals("t3.small", resources.get(Resources.HELPER_INSTANCE_TYPE));
        assertEquals("ami-1", resources.get(Resources.HELPER_IMAGE_ID));
    }

    @Test
    void retryPicksTheSameZone() {
        Object first = handler.handleRequest(f.doc(Map.of()), null).get(Resources.AVAILABILITY_ZONE);
        Object second = handler.handleRequest(f.doc(Map.of()), null).get(Resources.AVAILABILITY_ZONE);
        assertEquals(first, second);
    }

    @Test
    void skipsZonesWhereTheHelperOrSmokeTestTypeIsNotOffered() {
        f.aws.ec2().removeOffering("t3.small", "us-east-1a");
        f.aws.ec2().removeOffering("t3.micro", "us-east-1b");
        assertEquals("us-east-1c", handler.handleRequest(f.doc(Map.of()), null).get(Resources.AVAILABILITY_ZONE));
    }

    @Test
    void typeOfferedNowhereIsPreflightFailed() {
        for (String zone : new String[] {"us-east-1a", "us-east-1b", "us-east-1c"}) {
            f.aws.ec2().removeOffering("t3.small", zone);
        }
        Expect.named(ErrorName.PreflightFailed, "no availability zone of us-east-1 offers t3.small",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void helperTypeOfAnotherArchitectureIsPreflightFailed() {
        f.input("{\"helper\":{\"instanceType\":\"t4g.small\"}}");
        Expect.named(ErrorName.PreflightFailed, "instance type t4g.small runs arm64, not x86_64",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void smokeTestTypeIsCheckedToo() {
        f.input("{\"smokeTest\":{\"instanceType\":\"m6g.large\"}}");
        Expect.named(ErrorName.PreflightFailed, "m6g.large runs arm64",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void unknownInstanceTypeIsPreflightFailed() {
        f.input("{\"helper\":{\"instanceType\":\"x9.huge\"}}");
        Expect.named(ErrorName.PreflightFailed, "x9.huge", () -> handler.handleRequest(f.doc(Map.of()), null));
    }
}
