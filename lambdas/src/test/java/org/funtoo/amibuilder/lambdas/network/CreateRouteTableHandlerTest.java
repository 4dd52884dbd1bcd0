package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.RouteTable;

class CreateRouteTableHandlerTest {
    private final Fixture f = new Fixture();
    private final CreateRouteTableHandler handler = new CreateRouteTableHandler(f.deps());

    @Test
    void createsTableWithDefaultRouteToTheGatewayAssociatedWithTheSubnet() {
        Map<String, Object> before = f.gateway();
        String tableId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.ROUTE_TABLE_ID);
        RouteTable table = table(tableId);
        Expect.builderTags(table.tags(), "rtb");
        assertTrue(table.routes().stream().anyMatch(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())
                && before.get(Resources.INTERNET_GATEWAY_ID).equals(r.gatewayId())), table::toString);
        assertTrue(table.associations().stream().anyMatch(a -> before.get(Resources.SUBNET_ID).equals(a.subnetId())));
    }

    @Test
    void retryCreatesOneTableOneRouteOneAssociation() {
        Map<String, Object> before = f.gateway();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.ROUTE_TABLE_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.ROUTE_TABLE_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ec2", "CreateRouteTable"));
        assertEquals(1, f.calls("ec2", "CreateRoute"));
        assertEquals(1, f.calls("ec2", "AssociateRouteTable"));
    }

    @Test
    void retryAfterDyingBeforeTheAssociationCompletesTheSameTable() {
        Map<String, Object> before = f.gateway();
        f.aws.faults().failNth("ec2", "AssociateRouteTable", 1, "InternalError");
        Expect.retried(ErrorName.AwsTransient, "InternalError", () -> handler.handleRequest(f.doc(before), null));
        String tableId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.ROUTE_TABLE_ID);
        assertEquals(1, f.calls("ec2", "CreateRouteTable"));
        assertEquals(1, f.calls("ec2", "CreateRoute"));
        assertTrue(table(tableId).associations().stream()
                .anyMatch(a -> before.get(Resources.SUBNET_ID).equals(a.subnetId())));
    }

    private RouteTable table(String id) {
        return f.aws.ec2().describeRouteTables(r -> r.routeTableIds(id)).routeTables().get(0);
    }
}
