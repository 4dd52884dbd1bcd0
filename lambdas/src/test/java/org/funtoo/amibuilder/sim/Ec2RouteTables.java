package org.funtoo.amibuilder.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.InternetGateway;
import org.funtoo.amibuilder.sim.Ec2Resources.Route;
import org.funtoo.amibuilder.sim.Ec2Resources.RouteTable;
import org.funtoo.amibuilder.sim.Ec2Resources.Subnet;
import org.funtoo.amibuilder.sim.Ec2Resources.Vpc;
import software.amazon.awssdk.services.ec2.model.AssociateRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.AssociateRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.CreateRouteRequest;
import software.amazon.awssdk.services.ec2.model.CreateRouteResponse;
import software.amazon.awssdk.services.ec2.model.CreateRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.CreateRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.DeleteRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.DeleteRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.DescribeRouteTablesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeRouteTablesResponse;
import software.amazon.awssdk.services.ec2.model.DisassociateRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.DisassociateRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociationState;

/**
 * Route tables: the VPC's main table (made by CreateVpc, never deletable on its own) and tables the caller
 * creates, routes to internet gateways (blackhole once the gateway is detached or gone), subnet associations.
 */
final class Ec2RouteTables {
    private static final String DEFAULT_ROUTE = "0.0.0.0/0";

    private final Ec2Region r;

    Ec2RouteTables(Ec2Region region) {
        this.r = region;
    }

    CreateRouteTableResponse createRouteTable(CallLog.Call call, CreateRouteTableRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("route-table"),
                r.errors(call));
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.VPC, vpc);
        RouteTable table = new RouteTable(r.ids.next("rtb"), tags.getOrDefault("route-table", Map.of()), vpc.id, null);
        table.routes.add(new Route(vpc.cidr.toString(), "local", "CreateRouteTable"));
        r.routeTables.put(table.id, table);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.ROUTE_TABLE, table);
        return CreateRouteTableResponse.builder().routeTable(describe(table)).build();
    }

    private software.amazon.awssdk.services.ec2.model.RouteTable describe(RouteTable t) {
        List<RouteTableAssociation> associations = new ArrayList<>();
        if (t.isMain()) {
            associations.add(association(t, t.mainAssociationId, null).main(true).build());
        }
        t.subnetAssociations.forEach((id, subnet) -> associations.add(association(t, id, subnet).main(false).build()));
        return software.amazon.awssdk.services.ec2.model.RouteTable.builder()
                .routeTableId(t.id).vpcId(t.vpcId).ownerId(r.accountId()).associations(associations)
                .routes(t.routes.stream().map(route -> route(t, route)).toList()).propagatingVgws(List.of())
                .tags(Ec2Tags.sdk(t.tags)).build();
    }

    private static RouteTableAssociation.Builder association(RouteTable t, String id, String subnetId) {
        return RouteTableAssociation.builder().routeTableAssociationId(id).routeTableId(t.id).subnetId(subnetId)
                .associationState(RouteTableAssociationState.builder().state("associated").build());
    }

    private software.amazon.awssdk.services.ec2.model.Route route(RouteTable t, Route route) {
        return software.amazon.awssdk.services.ec2.model.Route.builder()
                .destinationCidrBlock(route.destination()).gatewayId(route.gatewayId()).origin(route.origin())
                .state(isActive(t, route) ? "active" : "blackhole").build();
    }

    private boolean isActive(RouteTable t, Route route) {
        if (route.gatewayId().equals("local")) {
            return true;
        }
        InternetGateway igw = r.internetGateways.get(route.gatewayId());
        return igw != null && t.vpcId.equals(igw.vpcId);
    }

    CreateRouteResponse createRoute(CallLog.Call call, CreateRouteRequest q) {
        RouteTable table = r.require(call, r.routeTables, Kind.ROUTE_TABLE, q.routeTableId());
        r.touch(call, Kind.ROUTE_TABLE, table);
        if (q.destinationCidrBlock() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter destinationCidrBlock");
        }
        Ec2Cidr destination = Ec2Cidr.parse(q.destinationCidrBlock()).orElseThrow(() -> r.fail(call,
                "InvalidParameterValue", "Value (" + q.destinationCidrBlock()
                        + ") for parameter destinationCidrBlock is invalid. This is not a valid CIDR block."));
        long targets = Stream.of(q.gatewayId(), q.natGatewayId(), q.instanceId(), q.networkInterfaceId(),
                q.vpcPeeringConnectionId(), q.transitGatewayId(), q.egressOnlyInternetGatewayId(),
                q.carrierGatewayId(), q.localGatewayId(), q.vpcEndpointId(), q.coreNetworkArn(),
                q.odbNetworkArn()).filter(Objects::nonNull).count();
        if (targets != 1) {
            throw r.fail(call, "InvalidParameterCombination", "The request must contain exactly one route target");
        }
        if (q.natGatewayId() != null) {
            // the simulation has no NAT gateways, so every id is unknown
            throw r.fail(call, "InvalidNatGatewayID.NotFound", "The nat gateway ID '" + q.natGatewayId()
                    + "' does not exist");
        }
        if (q.gatewayId() == null || !q.gatewayId().startsWith("igw-")) {
            throw r.fail(call, "InvalidParameterValue",
                    "The simulated CreateRoute supports internet gateway targets only");
        }
        InternetGateway igw = r.internetGateways.get(q.gatewayId());
        if (igw == null) {
            throw r.fail(call, "InvalidGatewayID.NotFound", "The gateway ID '" + q.gatewayId() + "' does not exist");
        }
        r.touch(call, Kind.INTERNET_GATEWAY, igw);
        if (!table.vpcId.equals(igw.vpcId)) {
            throw r.fail(call, "InvalidParameterValue", "route table " + table.id + " and network gateway "
                    + igw.id + " belong to different networks");
        }
        if (table.routes.stream().anyMatch(route -> route.destination().equals(destination.toString()))) {
            throw r.fail(call, "RouteAlreadyExists",
                    "The route identified by " + destination + " already exists.");
        }
        table.routes.add(new Route(destination.toString(), igw.id, "CreateRoute"));
        return CreateRouteResponse.builder().returnValue(true).build();
    }

    AssociateRouteTableResponse associateRouteTable(CallLog.Call call, AssociateRouteTableRequest q) {
        RouteTable table = r.require(call, r.routeTables, Kind.ROUTE_TABLE, q.routeTableId());
        r.touch(call, Kind.ROUTE_TABLE, table);
        if (q.subnetId() == null) {
            throw r.fail(call, "MissingParameter", "The simulated AssociateRouteTable needs a subnetId");
        }
        Subnet subnet = r.require(call, r.subnets, Kind.SUBNET, q.subnetId());
        r.touch(call, Kind.SUBNET, subnet);
        if (!subnet.vpcId.equals(table.vpcId)) {
            throw r.fail(call, "InvalidParameterValue", "Route table " + table.id + " and subnet " + subnet.id
                    + " belong to different networks");
        }
        if (r.routeTables.values().stream().anyMatch(t -> t.subnetAssociations.containsValue(subnet.id))) {
            throw r.fail(call, "Resource.AlreadyAssociated", "the specified association for route table "
                    + table.id + " conflicts with an existing association");
        }
        String associationId = r.ids.next("rtbassoc");
        table.subnetAssociations.put(associationId, subnet.id);
        return AssociateRouteTableResponse.builder().associationId(associationId)
                .associationState(RouteTableAssociationState.builder().state("associated").build()).build();
    }

    DisassociateRouteTableResponse disassociateRouteTable(CallLog.Call call, DisassociateRouteTableRequest q) {
        String id = q.associationId();
        RouteTable table = r.routeTables.values().stream()
                .filter(t -> t.subnetAssociations.containsKey(id) || Objects.equals(t.mainAssociationId, id))
                .findFirst()
                .orElseThrow(() -> r.fail(call, "InvalidAssociationID.NotFound",
                        "The association ID '" + id + "' does not exist"));
        r.touch(call, Kind.ROUTE_TABLE, table);
        if (id.equals(table.mainAssociationId)) {
            throw r.fail(call, "InvalidParameterValue", "cannot disassociate the main route table association " + id);
        }
        table.subnetAssociations.remove(id);
        return DisassociateRouteTableResponse.builder().build();
    }

    DeleteRouteTableResponse deleteRouteTable(CallLog.Call call, DeleteRouteTableRequest q) {
        RouteTable table = r.require(call, r.routeTables, Kind.ROUTE_TABLE, q.routeTableId());
        r.touch(call, Kind.ROUTE_TABLE, table);
        if (table.isMain() || !table.subnetAssociations.isEmpty()) {
            throw r.fail(call, "DependencyViolation",
                    "The routeTable '" + table.id + "' has dependencies and cannot be deleted.");
        }
        r.routeTables.remove(table.id);
        return DeleteRouteTableResponse.builder().build();
    }

    DescribeRouteTablesResponse describeRouteTables(CallLog.Call call, DescribeRouteTablesRequest q) {
        Predicate<RouteTable> filter = Ec2Filters.<RouteTable>tagged(t -> t.tags)
                .on("route-table-id", t -> t.id)
                .on("vpc-id", t -> t.vpcId)
                .on("owner-id", t -> r.accountId())
                .on("association.subnet-id", t -> t.subnetAssociations.values())
                .on("association.main", t -> t.isMain())
                .on("association.route-table-association-id", t -> associationIds(t))
                .on("association.route-table-id", t -> t.isMain() || !t.subnetAssociations.isEmpty() ? t.id : null)
                .on("route.destination-cidr-block", t -> t.routes.stream().map(Route::destination).toList())
                .on("route.gateway-id", t -> t.routes.stream().map(Route::gatewayId).toList())
                .on("route.origin", t -> t.routes.stream().map(Route::origin).toList())
                .on("route.state", t -> t.routes.stream().map(route -> isActive(t, route) ? "active" : "blackhole")
                        .toList())
                .matcher(q.filters(), r.invalidParameter(call));
        List<RouteTable> found = r.select(call, r.routeTables, Kind.ROUTE_TABLE, q.routeTableIds(), filter);
        Ec2Page<RouteTable> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeRouteTablesResponse.builder().routeTables(page.items().stream().map(this::describe).toList())
                .nextToken(page.nextToken()).build();
    }

    private static List<String> associationIds(RouteTable t) {
        List<String> ids = new ArrayList<>(t.subnetAssociations.keySet());
        if (t.isMain()) {
            ids.add(t.mainAssociationId);
        }
        return ids;
    }

    /** Whether the subnet's effective route table sends 0.0.0.0/0 to an internet gateway attached to its VPC. */
    boolean reachesInternet(Subnet subnet) {
        RouteTable effective = r.routeTables.values().stream()
                .filter(t -> t.subnetAssociations.containsValue(subnet.id)).findFirst()
                .orElseGet(() -> r.routeTables.get(r.vpcs.get(subnet.vpcId).mainRouteTableId));
        return effective != null && effective.routes.stream()
                .anyMatch(route -> route.destination().equals(DEFAULT_ROUTE) && !route.gatewayId().equals("local")
                        && isActive(effective, route));
    }
}
