package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ResourceType;

class DeleteInternetGatewayHandlerTest {
    private final Fixture f = new Fixture();
    private final DeleteInternetGatewayHandler handler = new DeleteInternetGatewayHandler(f.deps());

    @Test
    void detachesAndDeletesTheBuildsGateway() {
        Map<String, Object> resources = f.gateway();
        String gatewayId = Fixture.id(resources, Resources.INTERNET_GATEWAY_ID);
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.INTERNET_GATEWAY_ID);
        assertTrue(gone(gatewayId));
        assertEquals(1, f.calls("ec2", "DetachInternetGateway"));
    }

    @Test
    void gatewayCreatedButNeverAttachedIsDeleted() {
        String gatewayId = f.aws.ec2().createInternetGateway(r -> r.tagSpecifications(
                Tags.spec(ResourceType.INTERNET_GATEWAY, Fixture.BUILD_ID, "igw"))).internetGateway()
                .internetGatewayId();
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertTrue(gone(gatewayId));
        assertEquals(0, f.calls("ec2", "DetachInternetGateway"));
    }

    @Test
    void retryAfterDyingBetweenDetachAndDeleteFinishes() {
        Map<String, Object> resources = f.gateway();
        String gatewayId = Fixture.id(resources, Resources.INTERNET_GATEWAY_ID);
        f.aws.faults().failNth("ec2", "DeleteInternetGateway", 1, "InternalError");
        Expect.retried(ErrorName.AwsTransient, "InternalError", () -> handler.handleRequest(f.doc(resources), null));
        handler.handleRequest(f.doc(resources), null);
        assertTrue(gone(gatewayId));
    }

    @Test
    void callersGatewayIsNeverTouched() {
        f.callerNetwork(true, true);
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertEquals(0, f.calls("ec2", "DetachInternetGateway"));
        assertEquals(0, f.calls("ec2", "DeleteInternetGateway"));
    }

    private boolean gone(String id) {
        return f.aws.ec2().describeInternetGateways(r -> r.filters(Tags.filter("internet-gateway-id", id)))
                .internetGateways().isEmpty();
    }
}
