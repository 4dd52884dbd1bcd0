package org.funtoo.amibuilder.lambdas.network;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** Cleanup: the temporary subnet (a caller's subnet is neither in {@code resources} nor managed). */
public final class DeleteSubnetHandler extends Handler {
    private final Ec2Client ec2;

    public DeleteSubnetHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeleteSubnetHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        Resources resources = doc.resources();
        Cleanup.targets(f -> ec2.describeSubnets(r -> r.filters(f)).subnets(), Subnet::subnetId, Subnet::tags,
                        "subnet-id", resources.get(Resources.SUBNET_ID).stream().toList(), doc.config().buildId())
                .forEach(subnet -> Cleanup.deleteIgnoringGone(() ->
                        ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId()))));
        return resources.without(Resources.SUBNET_ID).toMap();
    }
}
