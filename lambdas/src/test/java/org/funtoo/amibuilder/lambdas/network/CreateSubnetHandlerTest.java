package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Subnet;

class CreateSubnetHandlerTest {
    private final Fixture f = new Fixture();
    private final CreateSubnetHandler handler = new CreateSubnetHandler(f.deps());

    @Test
    void createsSubnetInTheChosenZoneWithPublicIpsOnLaunch() {
        Map<String, Object> vpc = f.vpc();
        Map<String, Object> resources = handler.handleRequest(f.doc(vpc), null);
        String subnetId = Fixture.id(resources, Resources.SUBNET_ID);
        Subnet subnet = f.aws.ec2().describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0);
        Expect.builderTags(subnet.tags(), "subnet");
        assertEquals(vpc.get(Resources.VPC_ID), subnet.vpcId());
        assertEquals(vpc.get(Resources.AVAILABILITY_ZONE), subnet.availabilityZone());
        assertTrue(subnet.mapPublicIpOnLaunch());
        assertEquals(vpc.get(Resources.VPC_ID), resources.get(Resources.VPC_ID));
    }

    @Test
    void retryReturnsTheSameSubnet() {
        Map<String, Object> vpc = f.vpc();
        Object first = handler.handleRequest(f.doc(vpc), null).get(Resources.SUBNET_ID);
        Object second = handler.handleRequest(f.doc(vpc), null).get(Resources.SUBNET_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ec2", "CreateSubnet"));
    }

    @Test
    void retryAfterDyingBeforePublicIpsWereTurnedOnFinishesTheJob() {
        Map<String, Object> vpc = f.vpc();
        f.aws.faults().failNth("ec2", "ModifySubnetAttribute", 1, "InternalError");
        Expect.retried(ErrorName.AwsTransient, "InternalError", () -> handler.handleRequest(f.doc(vpc), null));
        String subnetId = Fixture.id(handler.handleRequest(f.doc(vpc), null), Resources.SUBNET_ID);
        assertTrue(f.aws.ec2().describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).mapPublicIpOnLaunch());
        assertEquals(1, f.calls("ec2", "CreateSubnet"));
    }
}
