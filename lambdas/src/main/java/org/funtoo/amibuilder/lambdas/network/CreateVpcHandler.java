package org.funtoo.amibuilder.lambdas.network;

import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** Temporary network, step 1: a VPC with DNS hostnames on (SSM and the stage3 download resolve names). */
public final class CreateVpcHandler extends Handler {
    public static final String PURPOSE = "vpc";
    static final String CIDR = "10.200.0.0/16";
    private final Ec2Client ec2;

    public CreateVpcHandler() {
        this(HandlerDependencies.lambda());
    }

    public CreateVpcHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.NetworkInvalid;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        String buildId = doc.config().buildId();
        String vpcId = existing(buildId).orElseGet(() -> ec2.createVpc(r -> r
                .cidrBlock(CIDR)
                .tagSpecifications(Tags.spec(ResourceType.VPC, buildId, PURPOSE))).vpc().vpcId());
        // Also on a retry: the attempt that created the VPC may have died before this call.
        ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsHostnames(AttributeBooleanValue.builder().value(true).build()));
        return doc.resources().with(Resources.VPC_ID, vpcId).toMap();
    }

    private Optional<String> existing(String buildId) {
        return ec2.describeVpcs(r -> r.filters(Tags.ofPurpose(buildId, PURPOSE))).vpcs().stream()
                .map(Vpc::vpcId).findFirst();
    }
}
