package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Tag;

class CallLogTest {
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

    private final SimAws aws = new SimAws();
    private final SimSsm ssm = aws.ssm();

    @Test
    void callsAreAttributedToTheCallerSetWithAsAndTheDefaultOtherwise() {
        ssm.getParameter(r -> r.name(AL2023));
        aws.as("ResolveHelperImageHandler", () -> {
            ssm.getParameter(r -> r.name(AL2023));
            aws.as("Nested", () -> ssm.getParameter(r -> r.name(AL2023)));
            ssm.getParameter(r -> r.name(AL2023));
        });
        ssm.getParameter(r -> r.name(AL2023));

        assertEquals(List.of("test", "ResolveHelperImageHandler", "Nested", "ResolveHelperImageHandler", "test"),
                aws.calls().all().stream().map(CallLog.Call::caller).toList());
        assertEquals("test", aws.currentCaller());
    }

    @Test
    void callerIsRestoredWhenTheBodyThrows() {
        assertThrows(ParameterNotFoundException.class,
                () -> aws.as("Handler", () -> ssm.getParameter(r -> r.name("/missing"))));

        assertEquals("test", aws.currentCaller());
        assertEquals("Handler", aws.calls().all().get(0).caller());
    }

    @Test
    void theErrorCodeOfAFailedCallIsRecordedAndSuccessfulCallsHaveNone() {
        ssm.getParameter(r -> r.name(AL2023));
        assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name("/missing")));
        aws.faults().failNth("ssm", "GetParameter", 1, "ThrottlingException");
        assertThrows(SsmException.class, () -> ssm.getParameter(r -> r.name(AL2023)));

        List<CallLog.Call> calls = aws.calls().all();
        assertTrue(calls.get(0).succeeded());
        assertNull(calls.get(0).errorCode());
        assertEquals("ParameterNotFound", calls.get(1).errorCode());
        assertEquals("ThrottlingException", calls.get(2).errorCode());
        assertEquals(3, aws.calls().count("ssm", "GetParameter"));
        assertEquals(1, aws.calls().matching(c -> !c.succeeded() && c.errorCode().startsWith("Throttl")).size());
    }

    @Test
    void aCallKeepsItsRequestTimeAndActionName() {
        GetParameterRequest request = GetParameterRequest.builder().name(AL2023).build();
        aws.clock().advanceSeconds(90);
        ssm.getParameter(request);

        CallLog.Call call = aws.calls().all().get(0);
        assertSame(request, call.request());
        assertEquals("ssm:GetParameter", call.action());
        assertEquals("ssm", call.service());
        assertEquals("GetParameter", call.operation());
        assertEquals(aws.clock().instant(), call.at());
        assertTrue(call.toString().contains("test ssm:GetParameter"));
    }

    @Test
    void touchedResourcesCarryTheirTagsAtCallTimeAndRequestTagsAreKeptApart() {
        String name = "/funtoo-ami-builder/b1/image";
        ssm.putParameter(r -> r.name(name).value("v").type(ParameterType.STRING)
                .tags(Tag.builder().key(SimAws.BUILD_ID_TAG).value("b1").build()));
        ssm.addTagsToResource(r -> r.resourceType("Parameter").resourceId(name)
                .tags(Tag.builder().key(SimAws.MANAGED_TAG).value("true").build()));
        ssm.deleteParameter(r -> r.name(name));

        List<CallLog.Call> calls = aws.calls().all();
        String arn = "arn:aws:ssm:us-east-1:123456789012:parameter/funtoo-ami-builder/b1/image";
        assertEquals(new CallLog.Touched(arn, Map.of()), calls.get(0).resources().get(0));
        assertEquals(Map.of(SimAws.BUILD_ID_TAG, "b1"), calls.get(0).requestTags());
        assertEquals(new CallLog.Touched(arn, Map.of(SimAws.BUILD_ID_TAG, "b1")), calls.get(1).resources().get(0));
        assertEquals(Map.of(SimAws.MANAGED_TAG, "true"), calls.get(1).requestTags());
        assertEquals(Map.of(SimAws.BUILD_ID_TAG, "b1", SimAws.MANAGED_TAG, "true"),
                calls.get(2).resources().get(0).tags());
    }

    @Test
    void clearEmptiesTheLog() {
        ssm.getParameter(r -> r.name(AL2023));
        assertEquals(1, aws.calls().size());

        aws.calls().clear();
        assertEquals(0, aws.calls().size());
        assertTrue(aws.calls().all().isEmpty());
    }
}
