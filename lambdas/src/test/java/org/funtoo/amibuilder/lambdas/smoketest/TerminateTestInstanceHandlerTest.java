package org.funtoo.amibuilder.lambdas.smoketest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;

class TerminateTestInstanceHandlerTest {
    private final Fixture f = new Fixture();
    private final TerminateTestInstanceHandler handler = new TerminateTestInstanceHandler(f.deps());

    @Test
    void terminatesTheTestInstanceAndLeavesTheHelperRunning() {
        Map<String, Object> resources = f.testInstanceLaunched();
        String testId = Fixture.id(resources, Resources.TEST_INSTANCE_ID);
        String helperId = Fixture.id(resources, Resources.INSTANCE_ID);

        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);

        Expect.absent(after, Resources.TEST_INSTANCE_ID);
        assertEquals(helperId, after.get(Resources.INSTANCE_ID));
        assertEquals("shutting-down", state(testId));
        assertEquals("running", state(helperId));
    }

    @Test
    void findsTheTestInstanceByItsTagsWhenTheIdWasNeverRecorded() {
        Map<String, Object> resources = new LinkedHashMap<>(f.testInstanceLaunched());
        String testId = (String) resources.remove(Resources.TEST_INSTANCE_ID);

        handler.handleRequest(f.doc(resources), null);

        assertEquals("shutting-down", state(testId));
    }

    @Test
    void retryTerminatesNothingMore() {
        Map<String, Object> resources = f.testInstanceLaunched();
        handler.handleRequest(f.doc(resources), null);
        handler.handleRequest(f.doc(resources), null);
        assertEquals(1, f.calls("ec2", "TerminateInstances"));
    }

    private String state(String instanceId) {
        return f.aws.ec2().describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .state().nameAsString();
    }
}
