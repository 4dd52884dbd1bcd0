package org.funtoo.amibuilder.lambdas.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.Test;

class ResolveHelperImageHandlerTest {
    private final Fixture f = new Fixture();
    private final ResolveHelperImageHandler handler = new ResolveHelperImageHandler(f.deps());

    @Test
    void defaultsToTheLatestAmazonLinux2023OfTheBuildsArchitecture() {
        assertEquals(SimAws.AL2023_X86_64_IMAGE_ID,
                handler.handleRequest(f.doc(Map.of()), null).get(Resources.HELPER_IMAGE_ID));
        f.input("{\"distribution\":\"gentoo\",\"architecture\":\"arm64\"}");
        assertEquals(SimAws.AL2023_ARM64_IMAGE_ID,
                handler.handleRequest(f.doc(Map.of()), null).get(Resources.HELPER_IMAGE_ID));
    }

    @Test
    void givenImageIsUsedWithoutAskingTheParameter() {
        f.input("{\"helper\":{\"imageId\":\"" + SimAws.AL2023_X86_64_IMAGE_ID + "\"}}");
        assertEquals(SimAws.AL2023_X86_64_IMAGE_ID,
                handler.handleRequest(f.doc(Map.of()), null).get(Resources.HELPER_IMAGE_ID));
        assertEquals(0, f.calls("ssm", "GetParameter"));
    }

    @Test
    void givenImageOfAnotherArchitectureIsPreflightFailed() {
        f.input("{\"helper\":{\"imageId\":\"" + SimAws.AL2023_ARM64_IMAGE_ID + "\"}}");
        Expect.named(ErrorName.PreflightFailed, "is arm64 but the build is x86_64",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void unknownImageIsPreflightFailed() {
        f.input("{\"helper\":{\"imageId\":\"ami-0123456789abcdef0\"}}");
        Expect.named(ErrorName.PreflightFailed, "ami-0123456789abcdef0 does not exist",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void throttledParameterLookupIsLeftToTheStateMachine() {
        f.aws.faults().failNth("ssm", "GetParameter", 1, "ThrottlingException");
        Expect.retried(ErrorName.AwsTransient, "ThrottlingException", () -> handler.handleRequest(f.doc(Map.of()), null));
    }
}
