package org.funtoo.amibuilder.lambdas.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.junit.jupiter.api.Test;

/** The cleanup handlers in the teardown order of ARCHITECTURE.md, from the janitor's document: nothing of the build is left. */
class TeardownTest {
    private final Fixture f = new Fixture();

    @Test
    void cleanupFromTheBuildIdAloneLeavesNothingOfAFailedBuild() {
        f.registered();
        Map<String, Object> resources = cleanup(Fixture.janitorDoc());
        assertTrue(resources.isEmpty(), resources::toString);
        assertTrue(f.inventory().stream().allMatch(r -> r.state().equals("terminated")), f.inventory()::toString);
    }

    @Test
    void cleanupOfAHalfBuiltNetworkWithAPendingInstanceLeavesNothing() {
        f.helperLaunched();
        cleanup(Fixture.janitorDoc());
        assertTrue(f.inventory().stream().allMatch(r -> r.state().equals("terminated")), f.inventory()::toString);
    }

    private Map<String, Object> cleanup(Map<String, Object> start) {
        Map<String, Object> resources = new TerminateInstancesHandler(f.aws.ec2()).handleRequest(start, null);
        Map<String, Object> poll = Map.of();
        CheckInstancesTerminatedHandler check = new CheckInstancesTerminatedHandler(f.aws.ec2(), f.aws.clock());
        for (int i = 0; i < 20 && !Boolean.TRUE.equals(poll.get("done")); i++) {
            poll = check.handleRequest(withResources(start, resources, poll), null);
            f.aws.clock().advanceSeconds((Long) poll.get("waitSeconds"));
        }
        assertEquals(true, poll.get("done"));
        for (Handler h : List.of(new DeleteVolumesHandler(f.aws.ec2()), new DeleteSecurityGroupHandler(f.aws.ec2()),
                new DeleteInternetGatewayHandler(f.aws.ec2()), new DeleteSubnetHandler(f.aws.ec2()),
                new DeleteRouteTableHandler(f.aws.ec2()), new DeleteVpcHandler(f.aws.ec2()),
                new DeleteFailedImageHandler(f.aws.ec2()))) {
            resources = h.handleRequest(withResources(start, resources, Map.of()), null);
        }
        return resources;
    }

    private static Map<String, Object> withResources(Map<String, Object> start, Map<String, Object> resources,
                                                     Map<String, Object> poll) {
        return Map.of("config", start.get("config"), "resources", resources, "poll", poll,
                "loop", Map.of("name", "WaitForTermination", "deadlineSeconds", 600));
    }
}
