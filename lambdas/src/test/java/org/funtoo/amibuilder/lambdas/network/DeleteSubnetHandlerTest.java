package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class DeleteSubnetHandlerTest {
    private final Fixture f = new Fixture();
    private final DeleteSubnetHandler handler = new DeleteSubnetHandler(f.deps());

    @Test
    void deletesTheBuildsSubnet() {
        Map<String, Object> resources = f.subnet();
        String subnetId = Fixture.id(resources, Resources.SUBNET_ID);
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.SUBNET_ID);
        assertTrue(gone(subnetId));
    }

    @Test
    void vpcWithoutSubnetIsNothingToDo() {
        Map<String, Object> resources = f.vpc();
        assertEquals(resources, handler.handleRequest(f.doc(resources), null));
        assertEquals(0, f.calls("ec2", "DeleteSubnet"));
    }

    @Test
    void subnetWithAnInstanceLeftIsLeftToTheStateMachinesRetry() {
        Map<String, Object> resources = f.helperOnline();
        Expect.retried(ErrorName.AwsNotReady, "DependencyViolation", () -> handler.handleRequest(f.doc(resources), null));
    }

    @Test
    void janitorFindsTheSubnetByTagAndCallersSubnetStays() {
        Fixture.CallerNetwork net = f.callerNetwork(true, true);
        String subnetId = Fixture.id(f.subnet(), Resources.SUBNET_ID);
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertTrue(gone(subnetId));
        assertTrue(!gone(net.subnetId()));
    }

    private boolean gone(String id) {
        return f.aws.ec2().describeSubnets(r -> r.filters(Tags.filter("subnet-id", id))).subnets().isEmpty();
    }
}
