package org.funtoo.amibuilder.lambdas.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.Tags;
import org.funtoo.amibuilder.lambdas.testing.Expect;
import org.funtoo.amibuilder.lambdas.testing.Fixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.Tag;

class PublishParameterHandlerTest {
    private static final String DEFAULT_NAME = "/funtoo-ami-builder/funtoo/x86_64/latest";

    @Test
    void firstBuildCreatesTheParameterAsAnImageIdWithTheBuildersTags() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.smokeTested();

        new PublishParameterHandler(f.deps()).handleRequest(f.doc(resources), null);

        Parameter p = parameter(f, "us-east-1", DEFAULT_NAME);
        assertEquals(resources.get(Resources.IMAGE_ID), p.value());
        assertEquals("aws:ec2:image", p.dataType());
        assertEquals(ParameterType.STRING, p.type());
        Map<String, String> tags = tags(f, DEFAULT_NAME);
        assertEquals("true", tags.get(Tags.MANAGED));
        assertEquals(Fixture.BUILD_ID, tags.get(Tags.BUILD_ID));
    }

    @Test
    void laterBuildOverwritesTheValueWithoutTagsWhichAwsRefusesWithOverwrite() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.smokeTested();
        f.aws.ssm().putParameter(r -> r.name(DEFAULT_NAME).value("ami-0123456789abcdef0").type(ParameterType.STRING)
                .dataType("aws:ec2:image").tags(Tag.builder().key(Tags.MANAGED).value("true").build()));

        new PublishParameterHandler(f.deps()).handleRequest(f.doc(resources), null);

        Parameter p = parameter(f, "us-east-1", DEFAULT_NAME);
        assertEquals(resources.get(Resources.IMAGE_ID), p.value());
        assertEquals(2L, p.version());
        assertEquals(Map.of(Tags.MANAGED, "true"), tags(f, DEFAULT_NAME), "an earlier build's tags stay as they were");
        assertTrue(f.aws.calls().matching(c -> c.operation().equals("PutParameter")).stream()
                .allMatch(c -> c.succeeded() || "ParameterAlreadyExists".equals(c.errorCode())));
    }

    @Test
    void eachCopysRegionGetsItsOwnCopysIdAndTheBuildsRegionComesLast() {
        Fixture f = new Fixture("{\"publish\":{\"ssmParameterName\":\"/funtoo-ami-builder/images/funtoo\","
                + "\"copyToRegions\":[\"eu-west-1\",\"ap-southeast-2\"]}}");
        Map<String, Object> resources = f.copiesAvailable();

        new PublishParameterHandler(f.deps()).handleRequest(f.doc(resources), null);

        Map<String, String> copies = CopyImageHandlerTest.copies(resources);
        assertEquals(copies.get("eu-west-1"), parameter(f, "eu-west-1", "/funtoo-ami-builder/images/funtoo").value());
        assertEquals(copies.get("ap-southeast-2"), parameter(f, "ap-southeast-2", "/funtoo-ami-builder/images/funtoo").value());
        assertEquals(resources.get(Resources.IMAGE_ID), parameter(f, "us-east-1", "/funtoo-ami-builder/images/funtoo").value());
        List<String> order = f.aws.calls().matching(c -> c.operation().equals("PutParameter")).stream()
                .map(c -> c.resources().get(0).arn().split(":")[3]).toList();
        assertEquals(List.of("eu-west-1", "ap-southeast-2", "us-east-1"), order);
    }

    @Test
    void retryWritesTheSameValueAgain() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.smokeTested();
        PublishParameterHandler handler = new PublishParameterHandler(f.deps());
        handler.handleRequest(f.doc(resources), null);
        handler.handleRequest(f.doc(resources), null);
        assertEquals(resources.get(Resources.IMAGE_ID), parameter(f, "us-east-1", DEFAULT_NAME).value());
    }

    @Test
    void nameAwsRefusesIsPublishFailed() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.smokeTested();
        Map<String, Object> doc = f.docWith(resources, "publish", "ssmParameterName", "/ssm/reserved");

        Expect.named(ErrorName.PublishFailed, "cannot put " + resources.get(Resources.IMAGE_ID)
                + " into SSM parameter /ssm/reserved in us-east-1: ValidationException",
                () -> new PublishParameterHandler(f.deps()).handleRequest(doc, null));
    }

    @Test
    void throttlingIsLeftToTheStateMachinesRetry() {
        Fixture f = new Fixture();
        Map<String, Object> resources = f.smokeTested();
        f.aws.faults().failNth("ssm", "PutParameter", 1, "ThrottlingException");
        Expect.retried(ErrorName.AwsTransient, "ThrottlingException",
                () -> new PublishParameterHandler(f.deps()).handleRequest(f.doc(resources), null));
    }

    private static Parameter parameter(Fixture f, String region, String name) {
        return f.aws.ssm(region).getParameter(r -> r.name(name)).parameter();
    }

    private static Map<String, String> tags(Fixture f, String name) {
        return f.aws.ssm().listTagsForResource(r -> r.resourceType("Parameter").resourceId(name)).tagList().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
