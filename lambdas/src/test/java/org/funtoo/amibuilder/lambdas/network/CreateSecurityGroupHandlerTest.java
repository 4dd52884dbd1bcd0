package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

class CreateSecurityGroupHandlerTest {
    private final Fixture f = new Fixture();
    private final CreateSecurityGroupHandler handler = new CreateSecurityGroupHandler(f.deps());

    @Test
    void createsGroupWithoutAnyIngressRule() {
        Map<String, Object> before = f.routeTable();
        String groupId = Fixture.id(handler.handleRequest(f.doc(before), null), Resources.SECURITY_GROUP_ID);
        SecurityGroup group = f.aws.ec2().describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups().get(0);
        Expect.builderTags(group.tags(), "helper-sg");
        assertEquals(before.get(Resources.VPC_ID), group.vpcId());
        assertTrue(group.ipPermissions().isEmpty(), "no inbound rule: SSM needs none");
        assertTrue(group.ipPermissionsEgress().stream().anyMatch(p -> "-1".equals(p.ipProtocol())),
                "outbound stays open");
    }

    @Test
    void retryReturnsTheSameGroup() {
        Map<String, Object> before = f.routeTable();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.SECURITY_GROUP_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.SECURITY_GROUP_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ec2", "CreateSecurityGroup"));
    }
}
