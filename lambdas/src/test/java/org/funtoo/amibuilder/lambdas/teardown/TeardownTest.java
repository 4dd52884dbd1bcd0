package org.funtoo.amibuilder.lambdas.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.helper.CheckInstancesTerminatedHandler;
import org.funtoo.amibuilder.lambdas.helper.DeleteVolumesHandler;
import org.funtoo.amibuilder.lambdas.helper.TerminateInstancesHandler;
import org.funtoo.amibuilder.lambdas.image.DeleteFailedImageHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteInternetGatewayHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteRouteTableHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteSecurityGroupHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteSubnetHandler;
import org.funtoo.amibuilder.lambdas.network.DeleteVpcHandler;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
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
        Map<String, Object> resources = new TerminateInstancesHandler(f.deps()).handleRequest(start, null);
        Map<String, Object> poll = Map.of();
        CheckInstancesTerminatedHandler check = new CheckInstancesTerminatedHandler(f.deps());
        for (int i = 0; i < 20 && !Boolean.TRUE.equals(poll.get("done")); i++) {
            poll = check.handleRequest(withResources(start, resources, poll), null);
            f.aws.clock().advanceSeconds((Long) poll.get("waitSeconds"));
        }
        assertEquals(true, poll.get("done"));
        for (Handler h : List.of(new DeleteVolumesHandler(f.deps()), new DeleteSecurityGroupHandler(f.deps()),
                new DeleteInternetGatewayHandler(f.deps()), new DeleteSubnetHandler(f.deps()),
                new DeleteRouteTableHandler(f.deps()), new DeleteVpcHandler(f.deps()),
                new DeleteFailedImageHandler(f.deps()))) {
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
