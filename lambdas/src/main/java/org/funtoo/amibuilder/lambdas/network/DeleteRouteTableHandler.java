package org.funtoo.amibuilder.lambdas.network;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;

/**
 * Cleanup: the temporary route table, after removing its subnet associations (AWS refuses to delete an associated
 * table). Its routes go with it.
 */
public final class DeleteRouteTableHandler extends Handler {
    private final Ec2Client ec2;

    public DeleteRouteTableHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeleteRouteTableHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        Resources resources = doc.resources();
        for (RouteTable table : Cleanup.targets(f -> ec2.describeRouteTables(r -> r.filters(f)).routeTables(),
                RouteTable::routeTableId, RouteTable::tags, "route-table-id",
                resources.get(Resources.ROUTE_TABLE_ID).stream().toList(), doc.config().buildId())) {
            for (RouteTableAssociation association : table.associations()) {
                if (!Boolean.TRUE.equals(association.main())) {
                    Cleanup.deleteIgnoringGone(() -> ec2.disassociateRouteTable(r -> r
                            .associationId(association.routeTableAssociationId())));
                }
            }
            Cleanup.deleteIgnoringGone(() -> ec2.deleteRouteTable(r -> r.routeTableId(table.routeTableId())));
        }
        return resources.without(Resources.ROUTE_TABLE_ID).toMap();
    }
}
