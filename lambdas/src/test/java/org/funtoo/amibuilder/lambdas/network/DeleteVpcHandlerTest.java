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

class DeleteVpcHandlerTest {
    private final Fixture f = new Fixture();
    private final DeleteVpcHandler handler = new DeleteVpcHandler(f.deps());

    @Test
    void vpcWithoutSubnetIsDeleted() {
        Map<String, Object> resources = f.vpc();
        String vpcId = Fixture.id(resources, Resources.VPC_ID);
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.VPC_ID);
        assertTrue(gone(vpcId));
        assertTrue(f.inventory().isEmpty(), f.inventory()::toString);
    }

    @Test
    void vpcWithItsSubnetLeftIsLeftToTheStateMachinesRetry() {
        Map<String, Object> resources = f.subnet();
        Expect.retried(ErrorName.AwsNotReady, "DependencyViolation", () -> handler.handleRequest(f.doc(resources), null));
    }

    @Test
    void janitorDeletesByTagAndAlreadyGoneIsSuccess() {
        String vpcId = Fixture.id(f.vpc(), Resources.VPC_ID);
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertTrue(gone(vpcId));
        handler.handleRequest(f.doc(Map.of(Resources.VPC_ID, vpcId)), null);
        assertEquals(1, f.calls("ec2", "DeleteVpc"));
    }

    @Test
    void callersVpcIsNeverTouched() {
        Fixture.CallerNetwork net = f.callerNetwork(false, false);
        f.aws.ec2().deleteSubnet(r -> r.subnetId(net.subnetId()));
        f.aws.ec2().deleteSecurityGroup(r -> r.groupId(net.groupId()));
        handler.handleRequest(f.doc(Map.of(Resources.VPC_ID, net.vpcId())), null);
        assertEquals(0, f.calls("ec2", "DeleteVpc"));
        assertTrue(!gone(net.vpcId()));
    }

    private boolean gone(String id) {
        return f.aws.ec2().describeVpcs(r -> r.filters(Tags.filter("vpc-id", id))).vpcs().isEmpty();
    }
}
