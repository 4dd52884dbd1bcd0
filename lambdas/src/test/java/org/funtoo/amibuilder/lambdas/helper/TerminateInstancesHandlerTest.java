package org.funtoo.amibuilder.lambdas.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.funtoo.amibuilder.sim.SimAws;
import org.junit.jupiter.api.Test;

class TerminateInstancesHandlerTest {
    private final Fixture f = new Fixture();
    private final TerminateInstancesHandler handler = new TerminateInstancesHandler(f.deps());

    @Test
    void terminatesTheRunningHelperAndDropsItsId() {
        Map<String, Object> resources = f.helperOnline();
        String instanceId = Fixture.id(resources, Resources.INSTANCE_ID);
        Map<String, Object> after = handler.handleRequest(f.doc(resources), null);
        Expect.absent(after, Resources.INSTANCE_ID);
        assertEquals(resources.get(Resources.VPC_ID), after.get(Resources.VPC_ID), "the rest is kept");
        assertEquals("shutting-down", state(instanceId));
    }

    @Test
    void terminatesAStillPendingInstance() {
        String instanceId = Fixture.id(f.helperLaunched(), Resources.INSTANCE_ID);
        assertEquals("pending", state(instanceId));
        handler.handleRequest(f.doc(Map.of(Resources.INSTANCE_ID, instanceId)), null);
        assertEquals("shutting-down", state(instanceId));
    }

    @Test
    void janitorFindsTheInstanceByTagAlone() {
        String instanceId = Fixture.id(f.helperOnline(), Resources.INSTANCE_ID);
        handler.handleRequest(Fixture.janitorDoc(), null);
        assertEquals("shutting-down", state(instanceId));
    }

    @Test
    void retryAfterTerminationChangesNothing() {
        Map<String, Object> resources = f.helperOnline();
        handler.handleRequest(f.doc(resources), null);
        f.aws.clock().advance(f.aws.timings().instanceShuttingDown.plusSeconds(1));
        handler.handleRequest(f.doc(resources), null);
        assertEquals(1, f.calls("ec2", "TerminateInstances"));
    }

    @Test
    void instanceWithoutTheManagedTagIsNeverTouched() {
        Map<String, Object> resources = f.network();
        String foreign = f.aws.ec2().runInstances(r -> r.imageId(SimAws.AL2023_X86_64_IMAGE_ID)
                .instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(Fixture.id(resources, Resources.SUBNET_ID))
                .tagSpecifications(t -> t.resourceType("instance").tags(
                        x -> x.key("funtoo-ami-builder:build-id").value(Fixture.BUILD_ID))))
                .instances().get(0).instanceId();
        handler.handleRequest(f.doc(Map.of(Resources.INSTANCE_ID, foreign)), null);
        assertEquals(0, f.calls("ec2", "TerminateInstances"));
        assertEquals("pending", state(foreign));
    }

    private String state(String instanceId) {
        return f.aws.ec2().describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .state().nameAsString();
    }
}
