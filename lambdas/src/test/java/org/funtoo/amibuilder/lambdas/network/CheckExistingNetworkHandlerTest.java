package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class CheckExistingNetworkHandlerTest {
    private final Fixture f = new Fixture();
    private final CheckExistingNetworkHandler handler = new CheckExistingNetworkHandler(f.deps());

    @Test
    void subnetWithInternetRouteAndPublicIpsIsUsedInItsZone() {
        f.input(f.callerNetwork(true, true).input());
        int callsBefore = f.aws.calls().size();
        Map<String, Object> resources = handler.handleRequest(f.doc(Map.of()), null);
        assertEquals("us-east-1b", resources.get(Resources.AVAILABILITY_ZONE));
        assertEquals("t3.small", resources.get(Resources.HELPER_INSTANCE_TYPE));
        assertTrue(f.aws.calls().all().subList(callsBefore, f.aws.calls().size()).stream()
                .allMatch(c -> c.operation().startsWith("Describe")), "only looks");
    }

    @Test
    void subnetWithoutDefaultRouteIsNetworkInvalid() {
        f.input(f.callerNetwork(false, true).input());
        Expect.named(ErrorName.NetworkInvalid, "has no active default route",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void internetRouteWithoutPublicIpsIsTheNoOutboundTrafficTrap() {
        f.input(f.callerNetwork(true, false).input());
        Expect.named(ErrorName.NetworkInvalid, "does not assign public IPs on launch",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void subnetAndGroupOfDifferentVpcsIsNetworkInvalid() {
        Fixture.CallerNetwork one = f.callerNetwork(true, true);
        Fixture.CallerNetwork two = f.callerNetwork(true, true);
        f.input("{\"network\":{\"subnetId\":\"" + one.subnetId() + "\",\"securityGroupId\":\"" + two.groupId() + "\"}}");
        Expect.named(ErrorName.NetworkInvalid, "both must be in the same VPC",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void missingSubnetIsNetworkInvalid() {
        Fixture.CallerNetwork net = f.callerNetwork(true, true);
        f.input("{\"network\":{\"subnetId\":\"subnet-0123456789abcdef0\",\"securityGroupId\":\"" + net.groupId() + "\"}}");
        Expect.named(ErrorName.NetworkInvalid, "subnet-0123456789abcdef0 does not exist",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void groupWithoutOutboundHttpsIsNetworkInvalid() {
        Fixture.CallerNetwork net = f.callerNetwork(true, true);
        f.aws.ec2().revokeSecurityGroupEgress(r -> r.groupId(net.groupId())
                .ipPermissions(p -> p.ipProtocol("-1").ipRanges(x -> x.cidrIp("0.0.0.0/0"))));
        f.input(net.input());
        Expect.named(ErrorName.NetworkInvalid, "does not allow outbound HTTPS",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void typeNotOfferedInTheSubnetsZoneIsPreflightFailed() {
        f.input(f.callerNetwork(true, true).input());
        f.aws.ec2().removeOffering("t3.small", "us-east-1b");
        Expect.named(ErrorName.PreflightFailed, "is not offered in us-east-1b",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }

    @Test
    void helperTypeOfAnotherArchitectureIsPreflightFailed() {
        Fixture.CallerNetwork net = f.callerNetwork(true, true);
        f.input("{\"network\":{\"subnetId\":\"" + net.subnetId() + "\",\"securityGroupId\":\"" + net.groupId()
                + "\"},\"helper\":{\"instanceType\":\"c6g.large\"}}");
        Expect.named(ErrorName.PreflightFailed, "c6g.large runs arm64",
                () -> handler.handleRequest(f.doc(Map.of()), null));
    }
}
