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
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Temporary network, step 5: the helper's security group. No ingress rule at all: commands arrive through SSM,
 * which needs only egress. The default allow-all egress stays, since the helper reaches SSM, the stage3 mirror
 * and, for extra packages, the distfiles mirrors over whatever ports they use.
 */
public final class CreateSecurityGroupHandler extends Handler {
    public static final String PURPOSE = "helper-sg";
    private final Ec2Client ec2;

    public CreateSecurityGroupHandler() {
        this(HandlerDependencies.lambda());
    }

    public CreateSecurityGroupHandler(HandlerDependencies deps) {
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
        String groupId = existing(buildId).orElseGet(() -> ec2.createSecurityGroup(r -> r
                .vpcId(BuildOwnership.requireVpc(ec2, vpcId, buildId, "resources.vpcId").vpcId())
                .groupName(Tags.name(buildId, PURPOSE))
                .description("funtoo-ami-builder helper of build " + buildId + ": egress only")
                .tagSpecifications(Tags.spec(ResourceType.SECURITY_GROUP, buildId, PURPOSE))).groupId());
        return resources.with(Resources.SECURITY_GROUP_ID, groupId).toMap();
    }

    private Optional<String> existing(String buildId) {
        return ec2.describeSecurityGroups(r -> r.filters(Tags.ofPurpose(buildId, PURPOSE))).securityGroups()
                .stream().map(SecurityGroup::groupId).findFirst();
    }
}
