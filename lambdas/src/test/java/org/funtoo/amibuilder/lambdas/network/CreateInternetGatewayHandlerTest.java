package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InternetGateway;

class CreateInternetGatewayHandlerTest {
    private final Fixture f = new Fixture();
    private final CreateInternetGatewayHandler handler = new CreateInternetGatewayHandler(f.deps());

    @Test
    void createsGatewayAttachedToTheBuildsVpc() {
        Map<String, Object> before = f.subnet();
        String gatewayId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.INTERNET_GATEWAY_ID);
        InternetGateway gateway = gateway(gatewayId);
        Expect.builderTags(gateway.tags(), "igw");
        assertEquals(1, gateway.attachments().size());
        assertEquals(before.get(Resources.VPC_ID), gateway.attachments().get(0).vpcId());
    }

    @Test
    void retryReturnsTheSameGatewayAndAttachesOnce() {
        Map<String, Object> before = f.subnet();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.INTERNET_GATEWAY_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.INTERNET_GATEWAY_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ec2", "CreateInternetGateway"));
        assertEquals(1, f.calls("ec2", "AttachInternetGateway"));
    }

    @Test
    void retryAfterDyingBetweenCreateAndAttachAttachesTheSameGateway() {
        Map<String, Object> before = f.subnet();
        f.aws.faults().failNth("ec2", "AttachInternetGateway", 1, "InternalError");
        Expect.retried(ErrorName.AwsTransient, "InternalError", () -> handler.handleRequest(f.doc(before), null));
        String gatewayId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.INTERNET_GATEWAY_ID);
        assertEquals(1, f.calls("ec2", "CreateInternetGateway"));
        assertEquals(before.get(Resources.VPC_ID), gateway(gatewayId).attachments().get(0).vpcId());
    }

    private InternetGateway gateway(String id) {
        return f.aws.ec2().describeInternetGateways(r -> r.internetGatewayIds(id)).internetGateways().get(0);
    }
}
