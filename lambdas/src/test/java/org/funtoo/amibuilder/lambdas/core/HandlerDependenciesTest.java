package org.funtoo.amibuilder.lambdas.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

class HandlerDependenciesTest {
    private final SimAws aws = new SimAws();

    @Test
    void aClientIsBuiltOnFirstUseAndOncePerRegion() {
        List<String> built = new ArrayList<>();
        HandlerDependencies deps = aws.dependencies()
                .ec2(region -> {
                    built.add(region);
                    return aws.ec2(region);
                })
                .environment(Map.of(Env.AWS_REGION, SimAws.HOME_REGION))
                .build();
        assertEquals(List.of(), built, "nothing built before a handler asks");

        Ec2Client home = deps.ec2();
        assertSame(home, deps.ec2());
        assertSame(home, deps.ec2ByRegion().apply(SimAws.HOME_REGION));
        Ec2Client other = deps.ec2ByRegion().apply("eu-west-1");
        assertNotSame(home, other);
        assertSame(other, deps.ec2ByRegion().apply("eu-west-1"));
        assertEquals(List.of(SimAws.HOME_REGION, "eu-west-1"), built);
    }

    @Test
    void aHandlerWhoseFunctionLacksASettingFailsToConstructNamingIt() {
        HandlerDependencies deps = aws.dependencies()
                .environment(Map.of(Env.AWS_REGION, SimAws.HOME_REGION, Env.HELPER_IMAGE_OWNERS, "amazon"))
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new LaunchHelperInstanceHandler(deps));
        assertEquals("environment variable HELPER_INSTANCE_PROFILE_ARN is not set", e.getMessage());
    }

    @Test
    void aBlankSettingIsMissingAndAnOptionalOneIsEmptyWhenUnset() {
        HandlerDependencies deps = HandlerDependencies.builder()
                .environment(Map.of(Env.BOOTSTRAP_LOG_GROUP, "  "))
                .build();
        assertThrows(IllegalStateException.class, () -> deps.require(Env.BOOTSTRAP_LOG_GROUP));
        assertEquals("", deps.optional(Env.BOOTSTRAP_OUTPUT_S3_BUCKET));
        assertEquals("bucket", deps.toBuilder().setting(Env.BOOTSTRAP_OUTPUT_S3_BUCKET, " bucket ").build()
                .optional(Env.BOOTSTRAP_OUTPUT_S3_BUCKET));
    }

    @Test
    void aClientTheHandlersDependenciesDoNotHaveFailsClearly() {
        HandlerDependencies deps = HandlerDependencies.builder()
                .environment(Map.of(Env.AWS_REGION, SimAws.HOME_REGION))
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class, deps::sns);
        assertEquals("no SNS client among this handler's dependencies", e.getMessage());
        assertThrows(IllegalStateException.class, deps::ec2);
    }
}
