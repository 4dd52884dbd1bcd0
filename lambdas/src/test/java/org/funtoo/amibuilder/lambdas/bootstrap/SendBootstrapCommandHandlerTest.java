package org.funtoo.amibuilder.lambdas.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

class SendBootstrapCommandHandlerTest {
    private final Fixture f = new Fixture();
    private final SendBootstrapCommandHandler handler =
            new SendBootstrapCommandHandler(f.deps());

    @Test
    void sendsTheDocumentWithTheConfigAsParametersAndOutputToCloudWatch() {
        Map<String, Object> before = f.helperOnline();
        Map<String, Object> resources = handler.handleRequest(f.doc(before), null);
        String commandId = Fixture.id(resources, Resources.COMMAND_ID);
        SendCommandRequest sent = sent();
        assertEquals(Fixture.DOCUMENT, sent.documentName());
        assertEquals(List.of(before.get(Resources.INSTANCE_ID)), sent.instanceIds());
        assertEquals("funtoo-ami-builder " + Fixture.BUILD_ID, sent.comment());
        assertEquals(600, sent.timeoutSeconds(), "the delivery timeout");
        assertTrue(sent.cloudWatchOutputConfig().cloudWatchOutputEnabled());
        assertEquals(Fixture.LOG_GROUP, sent.cloudWatchOutputConfig().cloudWatchLogGroupName());
        Map<String, List<String>> p = sent.parameters();
        assertEquals(List.of(before.get(Resources.TARGET_VOLUME_ID)), p.get("volumeId"));
        assertEquals(List.of("funtoo"), p.get("distribution"));
        assertEquals(List.of("x86_64"), p.get("architecture"));
        assertEquals(List.of(""), p.get("stage3Url"), "not given");
        assertEquals(List.of("https://build.funtoo.org"), p.get("stage3BaseUrl"));
        assertEquals(List.of("next"), p.get("stage3Release"));
        assertEquals(List.of("generic_64"), p.get("stage3Subarch"));
        assertEquals(List.of(""), p.get("stage3Sha256"));
        assertEquals(List.of("true"), p.get("verifySignature"));
        assertEquals(List.of("funtoo"), p.get("hostname"));
        assertEquals(List.of("uefi-preferred"), p.get("bootMode"));
        assertEquals(List.of(""), p.get("extraPackages"));
        assertEquals(List.of(Fixture.BUILD_ID), p.get("buildId"));
        assertEquals(13, p.size(), "no executionTimeout: the document's default, the stack's limit, applies");
        assertEquals(commandId, f.aws.ssm().listCommands(r -> r.commandId(commandId)).commands().get(0).commandId());
    }

    @Test
    void outputBucketOfTheStackAlsoKeepsTheOutputUnderTheBuildsPrefix() {
        new SendBootstrapCommandHandler(f.deps(Env.BOOTSTRAP_OUTPUT_S3_BUCKET, "example-bootstrap-output"))
                .handleRequest(f.doc(f.helperOnline()), null);

        SendCommandRequest sent = sent();
        assertEquals("example-bootstrap-output", sent.outputS3BucketName());
        assertEquals("funtoo-ami-builder/" + Fixture.BUILD_ID, sent.outputS3KeyPrefix());
    }

    @Test
    void withoutAnOutputBucketTheOutputGoesToCloudWatchOnly() {
        handler.handleRequest(f.doc(f.helperOnline()), null);

        assertEquals(null, sent().outputS3BucketName());
    }

    @Test
    void retryFindsTheFirstCommandInsteadOfBootstrappingTwice() {
        Map<String, Object> before = f.helperOnline();
        Object first = handler.handleRequest(f.doc(before), null).get(Resources.COMMAND_ID);
        Object second = handler.handleRequest(f.doc(before), null).get(Resources.COMMAND_ID);
        assertEquals(first, second);
        assertEquals(1, f.calls("ssm", "SendCommand"));
    }

    @Test
    void explicitTarballAndPackagesTravelAsParameters() {
        f.input("{\"stage3\":{\"url\":\"https://mirror.example.org/stage3-generic_64-next.tar.xz\",\"sha256\":\""
                + "ab".repeat(32) + "\",\"verifySignature\":false},\"bootstrap\":{\"hostname\":\"build.example.org\","
                + "\"extraPackages\":[\"app-editors/vim\",\">=dev-lang/perl-5.38\"],\"timeoutMinutes\":120}}");
        handler.handleRequest(f.doc(f.helperOnline()), null);
        Map<String, List<String>> p = sent().parameters();
        assertEquals(List.of("https://mirror.example.org/stage3-generic_64-next.tar.xz"), p.get("stage3Url"));
        assertEquals(List.of(""), p.get("stage3BaseUrl"));
        assertEquals(List.of("ab".repeat(32)), p.get("stage3Sha256"));
        assertEquals(List.of("false"), p.get("verifySignature"));
        assertEquals(List.of("build.example.org"), p.get("hostname"));
        assertEquals(List.of("app-editors/vim >=dev-lang/perl-5.38"), p.get("extraPackages"));
        assertEquals(List.of("7200"), p.get("executionTimeout"), "bootstrap.timeoutMinutes limits the run");
    }

    @Test
    void agentNotYetOnlineIsLeftToTheStateMachinesRetry() {
        Map<String, Object> resources = new java.util.LinkedHashMap<>(f.helperLaunched());
        resources.put(Resources.TARGET_VOLUME_ID, "vol-0123456789abcdef0");
        Expect.retried(ErrorName.AwsNotReady, "InvalidInstanceId", () -> handler.handleRequest(f.doc(resources), null));
    }

    private SendCommandRequest sent() {
        return (SendCommandRequest) f.aws.calls().matching(c -> c.operation().equals("SendCommand")
                && c.succeeded()).get(0).request();
    }
}
