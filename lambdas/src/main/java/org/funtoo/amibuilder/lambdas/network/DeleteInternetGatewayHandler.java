package org.funtoo.amibuilder.lambdas.network;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;

/** Cleanup: detach the internet gateway from whatever VPC it is attached to (if any), then delete it. */
public final class DeleteInternetGatewayHandler extends Handler {
    private final Ec2Client ec2;

    public DeleteInternetGatewayHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeleteInternetGatewayHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        Resources resources = doc.resources();
        for (InternetGateway gateway : Cleanup.targets(
                f -> ec2.describeInternetGateways(r -> r.filters(f)).internetGateways(),
                InternetGateway::internetGatewayId, InternetGateway::tags, "internet-gateway-id",
                resources.get(Resources.INTERNET_GATEWAY_ID).stream().toList(), doc.config().buildId())) {
            String id = gateway.internetGatewayId();
            for (InternetGatewayAttachment attachment : gateway.attachments()) {
                detach(id, attachment.vpcId());
            }
            Cleanup.deleteIgnoringGone(() -> ec2.deleteInternetGateway(r -> r.internetGatewayId(id)));
        }
        return resources.without(Resources.INTERNET_GATEWAY_ID).toMap();
    }

    private void detach(String gatewayId, String vpcId) {
        try {
            ec2.detachInternetGateway(r -> r.internetGatewayId(gatewayId).vpcId(vpcId));
        } catch (AwsServiceException e) {
            // A retry after a detach that succeeded but whose answer was lost.
            if (!AwsErrors.notFound(e) && !AwsErrors.code(e).equals("Gateway.NotAttached")) {
                throw e;
            }
        }
    }
}
