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
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/** Temporary network, step 3: an internet gateway, attached to the build's VPC. */
public final class CreateInternetGatewayHandler extends Handler {
    public static final String PURPOSE = "igw";
    private final Ec2Client ec2;

    public CreateInternetGatewayHandler() {
        this(HandlerDependencies.lambda());
    }

    public CreateInternetGatewayHandler(HandlerDependencies deps) {
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
        String vpcId = resources.require(Resources.VPC_ID);
        InternetGateway gateway = existing(buildId).orElseGet(() -> ec2.createInternetGateway(r -> r
                .tagSpecifications(Tags.spec(ResourceType.INTERNET_GATEWAY, buildId, PURPOSE))).internetGateway());
        boolean attached = gateway.attachments().stream().anyMatch(a -> vpcId.equals(a.vpcId()));
        if (!attached) {
            // only to this build's VPC: a gateway attached elsewhere would open another network to the internet
            BuildOwnership.requireVpc(ec2, vpcId, buildId, "resources.vpcId");
            ec2.attachInternetGateway(r -> r.internetGatewayId(gateway.internetGatewayId()).vpcId(vpcId));
        }
        return resources.with(Resources.INTERNET_GATEWAY_ID, gateway.internetGatewayId()).toMap();
    }

    private Optional<InternetGateway> existing(String buildId) {
        return ec2.describeInternetGateways(r -> r.filters(Tags.ofPurpose(buildId, PURPOSE))).internetGateways()
                .stream().findFirst();
    }
}
