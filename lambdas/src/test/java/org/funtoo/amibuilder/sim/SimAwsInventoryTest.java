package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

class SimAwsInventoryTest {
    private final SimAws aws = new SimAws();

    private void tagged(String region, String name, String buildId) {
        aws.ssm(region).putParameter(r -> r.name(name).value("ami-0123456789abcdef0").type(ParameterType.STRING)
                .tags(Tag.builder().key(SimAws.BUILD_ID_TAG).value(buildId).build(),
                        Tag.builder().key(SimAws.MANAGED_TAG).value("true").build()));
    }

    @Test
    void inventoryOfABuildFindsItsTaggedResourcesInEveryRegion() {
        tagged("us-east-1", "/funtoo-ami-builder/b1/x86_64", "b1");
        tagged("eu-west-1", "/funtoo-ami-builder/b1/x86_64", "b1");
        tagged("us-east-1", "/funtoo-ami-builder/b2/x86_64", "b2");

        List<SimResource> b1 = aws.inventoryOfBuild("b1");
        assertEquals(List.of("us-east-1", "eu-west-1"), b1.stream().map(SimResource::region).toList());
        assertTrue(b1.stream().allMatch(r -> r.type().equals("ssm-parameter") && r.service().equals("ssm")));
        assertEquals(1, aws.inventoryOfBuild("b2").size());
        assertEquals(3, aws.inventory().size());
    }

    @Test
    void deletedResourcesLeaveTheInventory() {
        tagged("us-east-1", "/funtoo-ami-builder/b1/x86_64", "b1");

        aws.ssm().deleteParameter(r -> r.name("/funtoo-ami-builder/b1/x86_64"));
        assertTrue(aws.inventoryOfBuild("b1").isEmpty());
    }

    @Test
    void publicParametersUntaggedParametersAndExecutionsAreNotBuildResources() {
        aws.ssm().putParameter(r -> r.name("/operator/setting").value("v").type(ParameterType.STRING));
        String sm = aws.sfn().createStateMachine("FuntooAmiBuilder");
        aws.sfn().startExecution(r -> r.stateMachineArn(sm).name("b1"));
        aws.sfn().stopExecution(r -> r.executionArn(
                "arn:aws:states:us-east-1:123456789012:execution:FuntooAmiBuilder:b1"));

        assertTrue(aws.inventory().isEmpty());
        assertTrue(aws.inventoryOfBuild("b1").isEmpty());
        assertEquals(ExecutionStatus.ABORTED, aws.sfn().describeExecution(r -> r.executionArn(
                "arn:aws:states:us-east-1:123456789012:execution:FuntooAmiBuilder:b1")).status());
    }
}
