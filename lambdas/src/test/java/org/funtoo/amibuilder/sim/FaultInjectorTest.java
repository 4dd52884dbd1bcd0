package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.ssm.model.InternalServerErrorException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.ThrottlingException;

class FaultInjectorTest {
    private static final String NAME = "/funtoo-ami-builder/latest";

    private final SimAws aws = new SimAws();
    private final SimSsm ssm = aws.ssm();

    private void put(String value, boolean overwrite) {
        ssm.putParameter(r -> r.name(NAME).value(value).type(ParameterType.STRING).overwrite(overwrite));
    }

    private boolean getPublicParameterFails() {
        try {
            ssm.getParameter(r -> r.name("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"));
            return false;
        } catch (SsmException e) {
            return true;
        }
    }

    @Test
    void theNthCallOfOneOperationFailsOnceAndOnlyThatOne() {
        aws.faults().failNth("ssm", "GetParameter", 2, "ThrottlingException");

        assertFalse(getPublicParameterFails());
        assertTrue(getPublicParameterFails());
        assertFalse(getPublicParameterFails());
        assertEquals(1, aws.faults().injectedCount());
    }

    @Test
    void theNthCallIsCountedFromWhenTheRuleIsAdded() {
        getPublicParameterFails();
        getPublicParameterFails();
        aws.faults().failNth("ssm", "GetParameter", 1, "InternalServerError");

        assertTrue(getPublicParameterFails());
        assertFalse(getPublicParameterFails());
    }

    @Test
    void otherOperationsAndServicesAreNotAffectedByAnNthRule() {
        aws.faults().failNth("ssm", "PutParameter", 1, "ThrottlingException");

        assertFalse(getPublicParameterFails());
        aws.sfn().createStateMachine("FuntooAmiBuilder");
        assertEquals(0, aws.faults().injectedCount());
    }

    @Test
    void injectedThrottlingIsTheModeledSsmExceptionWithStatus400() {
        aws.faults().failNth("ssm", "GetParameter", 1, "ThrottlingException");

        var e = assertThrows(ThrottlingException.class, () -> ssm.getParameter(r -> r.name(NAME)));
        assertEquals(400, e.statusCode());
        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertTrue(e.isThrottlingException());
    }

    @Test
    void injectedInternalServerErrorIsModeledWithStatus500AndUnmodeledCodesUseTheBaseException() {
        aws.faults().failNth("ssm", "GetParameter", 1, "InternalServerError");
        aws.faults().failNth("states", "StartExecution", 1, "ThrottlingException");

        var internal = assertThrows(InternalServerErrorException.class, () -> ssm.getParameter(r -> r.name(NAME)));
        assertEquals(500, internal.statusCode());
        String arn = aws.sfn().createStateMachine("FuntooAmiBuilder");
        var throttled = assertThrows(SfnException.class,
                () -> aws.sfn().startExecution(r -> r.stateMachineArn(arn).name("b1")));
        assertEquals(SfnException.class, throttled.getClass());
        assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode());
        assertTrue(throttled.isThrottlingException());
    }

    @Test
    void aFractionOfCallsFailsAndTheSameSeedGivesTheSameFailures() {
        List<Boolean> first = pattern(7);
        List<Boolean> second = pattern(7);

        assertEquals(first, second);
        long failures = first.stream().filter(b -> b).count();
        assertTrue(failures > 10 && failures < 50, "about 30% of 100 calls fail, got " + failures);
        assertTrue(!first.equals(pattern(8)), "another seed gives another sequence");
    }

    private static List<Boolean> pattern(long seed) {
        SimAws account = new SimAws();
        account.faults().seed(seed).failFraction(Set.of("ssm"), 0.3, List.of("ThrottlingException",
                "InternalServerError"));
        List<Boolean> failed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            try {
                account.ssm().getParameter(r -> r.name("/aws/service/ami-amazon-linux-latest/"
                        + "al2023-ami-kernel-default-arm64"));
                failed.add(false);
            } catch (AwsServiceException e) {
                assertInstanceOf(SsmException.class, e);
                failed.add(true);
            }
        }
        return failed;
    }

    @Test
    void anInjectedFaultHasNoSideEffect() {
        aws.faults().failNth("ssm", "PutParameter", 1, "InternalServerError");

        assertThrows(InternalServerErrorException.class, () -> put("ami-0123456789abcdef0", false));
        assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name(NAME)));
        assertTrue(ssm.inventory().isEmpty() && ssm.describeParameters(r -> { }).parameters().isEmpty());

        // the retry that a real client would make creates version 1, not 2
        put("ami-0123456789abcdef0", false);
        assertEquals(1L, ssm.getParameter(r -> r.name(NAME)).parameter().version());
    }

    @Test
    void anInjectedFaultOnSendCommandStartsNoCommand() {
        SsmFixtures.Instances instances = new SsmFixtures.Instances();
        SimSsm withDocument = SsmFixtures.ssm(aws, instances);
        SsmFixtures.onlineInstance(aws, instances);
        aws.faults().failNth("ssm", "SendCommand", 1, "ThrottlingException");

        assertThrows(ThrottlingException.class, () -> withDocument.sendCommand(SsmFixtures.bootstrap().build()));
        assertTrue(withDocument.listCommands(r -> r.instanceId(SsmFixtures.INSTANCE)).commands().isEmpty());
    }

    @Test
    void clearedRulesInjectNothing() {
        aws.faults().failFraction(Set.of("ssm"), 1.0, List.of("ThrottlingException"));
        assertTrue(getPublicParameterFails());

        aws.faults().clear();
        assertFalse(getPublicParameterFails());
        assertThrows(IllegalArgumentException.class, () -> aws.faults().failNth("ssm", "GetParameter", 0, "X"));
        assertThrows(IllegalArgumentException.class,
                () -> aws.faults().failFraction(Set.of("ssm"), 1.5, List.of("X")));
    }
}
