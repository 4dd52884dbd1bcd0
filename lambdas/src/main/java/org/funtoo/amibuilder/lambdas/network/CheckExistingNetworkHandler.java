package org.funtoo.amibuilder.lambdas.network;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.input.InstanceTypes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteState;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Preflight for a caller-given network: the subnet and group exist and share a VPC, and the helper will have
 * outbound HTTPS (SSM and the stage3 mirror need it). The classic trap is a subnet without a route to the
 * internet, or an internet route without public IPs on launch: the instance starts, its SSM agent never comes
 * online, and the build times out half an hour later. Here it fails at once, saying why.
 */
public final class CheckExistingNetworkHandler extends Handler {
    static final String ANYWHERE = "0.0.0.0/0";
    private final Ec2Client ec2;

    public CheckExistingNetworkHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckExistingNetworkHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.NetworkInvalid;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        String subnetId = config.subnetId().orElseThrow(() -> new IllegalStateException("no network.subnetId"));
        String groupId = config.securityGroupId().orElseThrow(() -> new IllegalStateException("no securityGroupId"));
        Subnet subnet = ec2.describeSubnets(r -> r.filters(Tags.filter("subnet-id", subnetId))).subnets().stream()
                .findFirst().orElseThrow(() -> invalid("network.subnetId " + subnetId + " does not exist in "
                        + config.region()));
        SecurityGroup group = ec2.describeSecurityGroups(r -> r.filters(Tags.filter("group-id", groupId)))
                .securityGroups().stream().findFirst()
                .orElseThrow(() -> invalid("network.securityGroupId " + groupId + " does not exist in "
                        + config.region()));
        if (!subnet.vpcId().equals(group.vpcId())) {
            throw invalid("subnet " + subnetId + " is in " + subnet.vpcId() + " but security group " + groupId
                    + " is in " + group.vpcId() + "; both must be in the same VPC");
        }
        requireOutboundRoute(subnet);
        requireHttpsEgress(group);

        InstanceTypes instanceTypes = new InstanceTypes(ec2);
        List<String> types = InstanceTypes.launched(config);
        Map<String, String> hypervisors = instanceTypes.requireArchitecture(types, config.architecture());
        if (instanceTypes.zonesOffering(types, List.of(subnet.availabilityZone())).isEmpty()) {
            throw BuildFailure.of(ErrorName.PreflightFailed, String.join(" and ", types) + " is not offered in "
                    + subnet.availabilityZone() + ", the zone of " + subnetId + "; pick another subnet or type");
        }
        return InstanceTypes.withSmokeTestHypervisor(doc.resources(), config, hypervisors)
                .with(Resources.AVAILABILITY_ZONE, subnet.availabilityZone())
                .with(Resources.HELPER_INSTANCE_TYPE, config.helperInstanceType())
                .toMap();
    }

    private void requireOutboundRoute(Subnet subnet) {
        RouteTable table = routeTableOf(subnet);
        Optional<Route> defaultRoute = table.routes().stream()
                .filter(r -> ANYWHERE.equals(r.destinationCidrBlock()) && r.state() != RouteState.BLACKHOLE)
                .findFirst();
        if (defaultRoute.isEmpty()) {
            throw invalid("subnet " + subnet.subnetId() + " has no active default route (0.0.0.0/0) in "
                    + table.routeTableId() + ": the helper could reach neither SSM nor the stage3 mirror");
        }
        Route route = defaultRoute.get();
        boolean viaInternetGateway = route.gatewayId() != null && route.gatewayId().startsWith("igw-");
        boolean viaNat = route.natGatewayId() != null || route.instanceId() != null
                || route.transitGatewayId() != null || route.networkInterfaceId() != null;
        if (!viaInternetGateway && !viaNat) {
            throw invalid("the default route of subnet " + subnet.subnetId() + " leads neither to an internet"
                    + " gateway nor to a NAT");
        }
        if (viaInternetGateway && !Boolean.TRUE.equals(subnet.mapPublicIpOnLaunch())) {
            throw invalid("subnet " + subnet.subnetId() + " routes to an internet gateway but does not assign"
                    + " public IPs on launch: the helper would have no outbound traffic (turn on"
                    + " MapPublicIpOnLaunch or use a subnet behind a NAT)");
        }
    }

    /** The table associated with the subnet, or else the VPC's main table (which then applies implicitly). */
    private RouteTable routeTableOf(Subnet subnet) {
        return ec2.describeRouteTables(r -> r.filters(Tags.filter("association.subnet-id", subnet.subnetId())))
                .routeTables().stream().findFirst()
                .or(() -> ec2.describeRouteTables(r -> r.filters(Tags.filter("vpc-id", subnet.vpcId()),
                        Tags.filter("association.main", "true"))).routeTables().stream().findFirst())
                .orElseThrow(() -> invalid("subnet " + subnet.subnetId() + " has no route table"));
    }

    private void requireHttpsEgress(SecurityGroup group) {
        boolean https = group.ipPermissionsEgress().stream().anyMatch(p -> allowsHttpsAnywhere(p));
        if (!https) {
            throw invalid("security group " + group.groupId() + " does not allow outbound HTTPS (tcp 443) to"
                    + " 0.0.0.0/0, which SSM and the stage3 download need");
        }
    }

    private static boolean allowsHttpsAnywhere(IpPermission p) {
        boolean anywhere = p.ipRanges().stream().anyMatch(r -> ANYWHERE.equals(r.cidrIp()));
        boolean port = "-1".equals(p.ipProtocol()) || ("tcp".equals(p.ipProtocol()) || "6".equals(p.ipProtocol()))
                && p.fromPort() != null && p.toPort() != null && p.fromPort() <= 443 && p.toPort() >= 443;
        return anywhere && port;
    }

    private static BuildFailure invalid(String what) {
        return BuildFailure.of(ErrorName.NetworkInvalid, what);
    }
}
