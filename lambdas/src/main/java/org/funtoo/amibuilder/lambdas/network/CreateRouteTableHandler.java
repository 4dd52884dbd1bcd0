package org.funtoo.amibuilder.lambdas.network;

import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;

/**
 * Temporary network, step 4: a route table with the default route to the internet gateway, associated with the
 * subnet. The VPC's main table is left alone (it is not ours to change and cannot be deleted).
 */
public final class CreateRouteTableHandler extends Handler {
    public static final String PURPOSE = "rtb";
    static final String DEFAULT_ROUTE = "0.0.0.0/0";
    private final Ec2Client ec2;

    public CreateRouteTableHandler() {
        this(HandlerDependencies.lambda());
    }

    public CreateRouteTableHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.NetworkInvalid;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        String buildId = doc.config().buildId();
        Resources resources = doc.resources();
        String subnetId = resources.require(Resources.SUBNET_ID);
        String gatewayId = resources.require(Resources.INTERNET_GATEWAY_ID);
        // the table routes a subnet to a gateway: both (and the table's VPC) must be this build's, or a direct
        // invocation could reroute another build's subnet
        BuildOwnership.requireSubnet(ec2, subnetId, buildId, "resources.subnetId");
        BuildOwnership.requireInternetGateway(ec2, gatewayId, buildId, "resources.internetGatewayId");
        RouteTable table = existing(buildId).orElseGet(() -> ec2.createRouteTable(r -> r
                .vpcId(BuildOwnership.requireVpc(ec2, resources.require(Resources.VPC_ID), buildId,
                        "resources.vpcId").vpcId())
                .tagSpecifications(Tags.spec(ResourceType.ROUTE_TABLE, buildId, PURPOSE))).routeTable());
        String tableId = table.routeTableId();
        if (table.routes().stream().noneMatch(r -> DEFAULT_ROUTE.equals(r.destinationCidrBlock()))) {
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock(DEFAULT_ROUTE).gatewayId(gatewayId));
        }
        if (table.associations().stream().noneMatch(a -> subnetId.equals(a.subnetId()))) {
            ec2.associateRouteTable(r -> r.routeTableId(tableId).subnetId(subnetId));
        }
        return resources.with(Resources.ROUTE_TABLE_ID, tableId).toMap();
    }

    private Optional<RouteTable> existing(String buildId) {
        return ec2.describeRouteTables(r -> r.filters(Tags.ofPurpose(buildId, PURPOSE))).routeTables().stream()
                .findFirst();
    }
}
