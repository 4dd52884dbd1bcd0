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

class DeleteSecurityGroupHandlerTest {
    private final Fixture f = new Fixture();
    private final DeleteSecurityGroupHandler handler = new DeleteSecurityGroupHandler(f.deps());

    @Test
    void deletesTheBuildsGroupAndDropsItsId() {
        Map<String, Object> resources = f.network();
        String groupId = Fixture.id(resources, Resources.SECURITY_GROUP_ID);
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.SECURITY_GROUP_ID);
        assertTrue(gone(groupId));
    }

    @Test
    void groupStillUsedByAnInstanceIsLeftToTheStateMachinesRetry() {
        Map<String, Object> resources = f.helperOnline();
        Expect.retried(ErrorName.AwsNotReady, "DependencyViolation", () -> handler.handleRequest(f.doc(resources), null));
    }

    @Test
    void alreadyDeletedGroupIsSuccessAndJanitorFindsItByTag() {
        Map<String, Object> resources = f.network();
        String groupId = Fixture.id(resources, Resources.SECURITY_GROUP_ID);
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertTrue(gone(groupId));
        Map<String, Object> again = handler.handleRequest(f.doc(resources), null);
        Expect.absent(again, Resources.SECURITY_GROUP_ID);
        assertEquals(1, f.calls("ec2", "DeleteSecurityGroup"));
    }

    @Test
    void callersGroupIsNeverTouched() {
        Fixture.CallerNetwork net = f.callerNetwork(true, true);
        f.input(net.input());
        handler.handleRequest(f.doc(Map.of()), null);
        assertEquals(0, f.calls("ec2", "DeleteSecurityGroup"));
        assertTrue(!gone(net.groupId()));
    }

    private boolean gone(String groupId) {
        return f.aws.ec2().describeSecurityGroups(r -> r.filters(Tags.filter("group-id", groupId)))
                .securityGroups().isEmpty();
    }
}
