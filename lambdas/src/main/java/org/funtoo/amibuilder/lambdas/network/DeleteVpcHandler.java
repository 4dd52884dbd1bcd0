package org.funtoo.amibuilder.lambdas.network;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** Cleanup, last step: the temporary VPC (its main route table and default group go with it). */
public final class DeleteVpcHandler extends Handler {
    private final Ec2Client ec2;

    public DeleteVpcHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeleteVpcHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        Resources resources = doc.resources();
        Cleanup.targets(f -> ec2.describeVpcs(r -> r.filters(f)).vpcs(), Vpc::vpcId, Vpc::tags, "vpc-id",
                        resources.get(Resources.VPC_ID).stream().toList(), doc.config().buildId())
                .forEach(vpc -> Cleanup.deleteIgnoringGone(() -> ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()))));
        return resources.without(Resources.VPC_ID).toMap();
    }
}
