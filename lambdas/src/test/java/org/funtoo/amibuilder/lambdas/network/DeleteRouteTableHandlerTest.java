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

class DeleteRouteTableHandlerTest {
    private final Fixture f = new Fixture();
    private final DeleteRouteTableHandler handler = new DeleteRouteTableHandler(f.deps());

    @Test
    void disassociatesAndDeletesTheBuildsTableButNotTheMainOne() {
        Map<String, Object> resources = f.routeTable();
        String tableId = Fixture.id(resources, Resources.ROUTE_TABLE_ID);
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.ROUTE_TABLE_ID);
        assertTrue(gone(tableId));
        assertEquals(1, f.calls("ec2", "DisassociateRouteTable"));
        assertEquals(1, f.aws.ec2().describeRouteTables(r -> r.filters(
                Tags.filter("vpc-id", (String) resources.get(Resources.VPC_ID)))).routeTables().size(),
                "the VPC's main table stays for DeleteVpc");
    }

    @Test
    void janitorFindsTheTableByTag() {
        String tableId = Fixture.id(f.routeTable(), Resources.ROUTE_TABLE_ID);
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertTrue(gone(tableId));
    }

    @Test
    void retryAfterDyingBeforeTheDeleteFinishes() {
        Map<String, Object> resources = f.routeTable();
        f.aws.faults().failNth("ec2", "DeleteRouteTable", 1, "InternalError");
        Expect.retried(ErrorName.AwsTransient, "InternalError", () -> handler.handleRequest(f.doc(resources), null));
        handler.handleRequest(f.doc(resources), null);
        assertTrue(gone(Fixture.id(resources, Resources.ROUTE_TABLE_ID)));
    }

    private boolean gone(String id) {
        return f.aws.ec2().describeRouteTables(r -> r.filters(Tags.filter("route-table-id", id))).routeTables()
                .isEmpty();
    }
}
