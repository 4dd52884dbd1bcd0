package org.funtoo.amibuilder.lambdas.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

class CreateVpcHandlerTest {
    private final Fixture f = new Fixture();
    private final CreateVpcHandler handler = new CreateVpcHandler(f.deps());

    @Test
    void createsVpcTaggedAtCreationWithDnsHostnames() {
        Map<String, Object> before = f.preflight();
        Map<String, Object> resources = handler.handleRequest(f.doc(before), null);
        String vpcId = Fixture.id(resources, Resources.VPC_ID);
        Vpc vpc = f.aws.ec2().describeVpcs(r -> r.vpcIds(vpcId)).vpcs().get(0);
        Expect.builderTags(vpc.tags(), "vpc");
        assertEquals(CreateVpcHandler.CIDR, vpc.cidrBlock());
        assertTrue(f.aws.ec2().describeVpcAttribute(r -> r.vpcId(vpcId).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                .enableDnsHostnames().value());
        assertEquals(before.get(Resources.AVAILABILITY_ZONE), resources.get(Resources.AVAILABILITY_ZONE),
                "earlier resources are kept");
        assertTrue(f.aws.calls().matching(c -> c.operation().equals("CreateVpc")).get(0).requestTags()
                .containsKey("funtoo-ami-builder:build-id"), "tags requested in CreateVpc itself");
    }

    @Test
    void retryReturnsTheSameVpcAndCreatesNothingNew() {
        Map<String, Object> first = handler.handleRequest(f.doc(f.preflight()), null);
        Map<String, Object> second = handler.handleRequest(f.doc(f.preflight()), null);
        assertEquals(first.get(Resources.VPC_ID), second.get(Resources.VPC_ID));
        assertEquals(1, f.calls("ec2", "CreateVpc"));
        assertEquals(1, f.aws.ec2().describeVpcs(r -> r.filters(
                org.funtoo.amibuilder.lambdas.core.Tags.ofBuild(Fixture.BUILD_ID))).vpcs().size());
    }

    @Test
    void retryAfterDyingBeforeTheDnsSettingFinishesTheSameVpc() {
        f.aws.faults().failNth("ec2", "ModifyVpcAttribute", 1, "InternalError");
        Expect.retried(ErrorName.AwsTransient, "InternalError", () -> handler.handleRequest(f.doc(Map.of()), null));
        Map<String, Object> resources = handler.handleRequest(f.doc(Map.of()), null);
        String vpcId = Fixture.id(resources, Resources.VPC_ID);
        assertEquals(1, f.calls("ec2", "CreateVpc"));
        assertTrue(f.aws.ec2().describeVpcAttribute(r -> r.vpcId(vpcId).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                .enableDnsHostnames().value());
    }

    @Test
    void throttlingIsLeftToTheStateMachineAndCreatesNothing() {
        f.aws.faults().failNth("ec2", "CreateVpc", 1, "RequestLimitExceeded");
        Expect.retried(ErrorName.AwsTransient, "RequestLimitExceeded", () -> handler.handleRequest(f.doc(Map.of()), null));
        assertTrue(f.inventory().isEmpty(), f.inventory()::toString);
    }
}
