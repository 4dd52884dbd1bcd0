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
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Temporary network, step 2: one subnet in the zone preflight chose, handing out public IPs so the helper reaches
 * SSM and the stage3 mirror through the internet gateway without a NAT.
 */
public final class CreateSubnetHandler extends Handler {
    public static final String PURPOSE = "subnet";
    static final String CIDR = "10.200.0.0/24";
    private final Ec2Client ec2;

    public CreateSubnetHandler() {
        this(HandlerDependencies.lambda());
    }

    public CreateSubnetHandler(HandlerDependencies deps) {
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
        String subnetId = existing(buildId).orElseGet(() -> ec2.createSubnet(r -> r
                .vpcId(BuildOwnership.requireVpc(ec2, resources.require(Resources.VPC_ID), buildId,
                        "resources.vpcId").vpcId())
                .cidrBlock(CIDR)
                .availabilityZone(resources.require(Resources.AVAILABILITY_ZONE))
                .tagSpecifications(Tags.spec(ResourceType.SUBNET, buildId, PURPOSE))).subnet().subnetId());
        ec2.modifySubnetAttribute(r -> r.subnetId(subnetId)
                .mapPublicIpOnLaunch(AttributeBooleanValue.builder().value(true).build()));
        return resources.with(Resources.SUBNET_ID, subnetId).toMap();
    }

    private Optional<String> existing(String buildId) {
        return ec2.describeSubnets(r -> r.filters(Tags.ofPurpose(buildId, PURPOSE))).subnets().stream()
                .map(Subnet::subnetId).findFirst();
    }
}
