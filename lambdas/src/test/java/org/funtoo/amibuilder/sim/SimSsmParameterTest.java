package org.funtoo.amibuilder.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ssm.model.AccessDeniedException;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.InvalidResourceIdException;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Tag;
import software.amazon.awssdk.services.ssm.model.ValidationException;

class SimSsmParameterTest {
    private static final String NAME = "/funtoo-ami-builder/funtoo/x86_64/latest";

    private final SimAws aws = new SimAws();
    private final SimSsm ssm = aws.ssm();

    private static PutParameterRequest.Builder put(String name, String value) {
        return PutParameterRequest.builder().name(name).value(value).type(ParameterType.STRING);
    }

    private static List<Tag> builderTags(String buildId) {
        return List.of(Tag.builder().key(SimAws.BUILD_ID_TAG).value(buildId).build(),
                Tag.builder().key(SimAws.MANAGED_TAG).value("true").build(),
                Tag.builder().key("Name").value("funtoo-ami-builder-" + buildId + "-image-id").build());
    }

    @ParameterizedTest
    @CsvSource({
            "us-east-1, al2023-ami-kernel-default-x86_64, ami-0a2023000000864a0",
            "eu-west-1, al2023-ami-kernel-default-arm64, ami-0a2023000000a64a0",
            "ap-southeast-2, al2023-ami-kernel-6.1-x86_64, ami-0a2023000000864a0"})
    void publicAmazonLinuxParametersResolveToTheSimulatedImagesInEveryRegion(String region, String leaf,
                                                                             String imageId) {
        String name = "/aws/service/ami-amazon-linux-latest/" + leaf;
        Parameter p = aws.ssm(region).getParameter(r -> r.name(name)).parameter();
        assertEquals(imageId, p.value());
        assertEquals(ParameterType.STRING, p.type());
        assertEquals("arn:aws:ssm:" + region + "::parameter" + name, p.arn());
        assertEquals(List.of("arn:aws:ssm:" + region + "::parameter" + name),
                aws.calls().all().get(0).resources().stream().map(CallLog.Touched::arn).toList());
    }

    @Test
    void putParameterCreatesVersionOneAndOverwriteIncrementsIt() {
        assertEquals(1L, ssm.putParameter(put(NAME, "ami-0123456789abcdef0").build()).version());
        aws.clock().advanceSeconds(60);
        assertEquals(2L, ssm.putParameter(put(NAME, "ami-0fedcba9876543210").overwrite(true).build()).version());

        Parameter p = ssm.getParameter(r -> r.name(NAME)).parameter();
        assertEquals("ami-0fedcba9876543210", p.value());
        assertEquals(2L, p.version());
        assertEquals(aws.clock().instant(), p.lastModifiedDate());
        assertEquals("arn:aws:ssm:us-east-1:123456789012:parameter/funtoo-ami-builder/funtoo/x86_64/latest",
                p.arn());
    }

    @Test
    void putParameterWithoutOverwriteOnExistingNameFails() {
        ssm.putParameter(put(NAME, "ami-0123456789abcdef0").build());

        var e = assertThrows(ParameterAlreadyExistsException.class,
                () -> ssm.putParameter(put(NAME, "ami-0fedcba9876543210").build()));
        assertEquals("ParameterAlreadyExists", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        Parameter p = ssm.getParameter(r -> r.name(NAME)).parameter();
        assertEquals("ami-0123456789abcdef0", p.value());
        assertEquals(1L, p.version());
    }

    @Test
    void putParameterWithTagsAndOverwriteFailsWithValidationException() {
        var e = assertThrows(ValidationException.class,
                () -> ssm.putParameter(put(NAME, "v").overwrite(true).tags(builderTags("b1")).build()));
        assertTrue(e.getMessage().contains("tags and overwrite can't be used together"));
        assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name(NAME)));
    }

    @Test
    void overwriteMayOmitTypeButCreateMayNot() {
        var e = assertThrows(ValidationException.class,
                () -> ssm.putParameter(PutParameterRequest.builder().name(NAME).value("v").build()));
        assertTrue(e.getMessage().contains("type is required"));

        ssm.putParameter(put(NAME, "v1").build());
        ssm.putParameter(PutParameterRequest.builder().name(NAME).value("v2").overwrite(true).build());
        assertEquals(ParameterType.STRING, ssm.getParameter(r -> r.name(NAME)).parameter().type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"funtoo/latest", "awsImage", "/ssm/latest", "/SSM-x", "/with space",
            "/semi;colon", "/a//b", "/trailing/", "$(reboot)"})
    void putParameterWithANameAwsRejectsFailsWithValidationException(String name) {
        var e = assertThrows(ValidationException.class, () -> ssm.putParameter(put(name, "v").build()));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertTrue(ssm.inventory().isEmpty());
    }

    @Test
    void putParameterUnderTheAwsNamespaceFailsWithAccessDenied() {
        String name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
        var e = assertThrows(AccessDeniedException.class,
                () -> ssm.putParameter(put(name, "ami-0123456789abcdef0").overwrite(true).build()));
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertEquals(SimAws.AL2023_X86_64_IMAGE_ID, ssm.getParameter(r -> r.name(name)).parameter().value());
    }

    @Test
    void parameterNamesDeeperThanFifteenLevelsFail() {
        String sixteen = "/" + String.join("/", IntStream.range(0, 16).mapToObj(i -> "l" + i).toList());
        String fifteen = sixteen.substring(0, sixteen.lastIndexOf('/'));

        var e = assertThrows(SsmException.class, () -> ssm.putParameter(put(sixteen, "v").build()));
        assertEquals("HierarchyLevelLimitExceededException", e.awsErrorDetails().errorCode());
        assertEquals(1L, ssm.putParameter(put(fifteen, "v").build()).version());
    }

    @Test
    void valueLongerThanTheStandardTierLimitFails() {
        var e = assertThrows(ValidationException.class,
                () -> ssm.putParameter(put(NAME, "x".repeat(4097)).build()));
        assertTrue(e.getMessage().contains("4096"));
        assertEquals(1L, ssm.putParameter(put(NAME, "x".repeat(4096)).build()).version());
    }

    @Test
    void imageDataTypeAcceptsOnlyAmiIds() {
        assertThrows(ValidationException.class,
                () -> ssm.putParameter(put(NAME, "not-an-image").dataType("aws:ec2:image").build()));
        ssm.putParameter(put(NAME, "ami-0123456789abcdef0").dataType("aws:ec2:image").build());
        assertEquals("aws:ec2:image", ssm.getParameter(r -> r.name(NAME)).parameter().dataType());
    }

    @Test
    void getParameterOfUnknownNameFailsWithParameterNotFound() {
        var e = assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name(NAME)));
        assertEquals("ParameterNotFound", e.awsErrorDetails().errorCode());
        assertEquals("ParameterNotFound", aws.calls().all().get(0).errorCode());
    }

    @Test
    void getParametersReportsUnknownNamesAsInvalidParameters() {
        ssm.putParameter(put(NAME, "v").build());

        var response = ssm.getParameters(r -> r.names(NAME, "/funtoo-ami-builder/missing"));
        assertEquals(List.of(NAME), response.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("/funtoo-ami-builder/missing"), response.invalidParameters());
        assertThrows(ValidationException.class, () -> ssm.getParameters(r -> r.names(
                IntStream.range(0, 11).mapToObj(i -> "/p" + i).toList())));
    }

    @Test
    void deleteParameterRemovesItAndASecondDeleteFails() {
        ssm.putParameter(put(NAME, "v").build());

        ssm.deleteParameter(r -> r.name(NAME));
        assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name(NAME)));
        assertThrows(ParameterNotFoundException.class, () -> ssm.deleteParameter(r -> r.name(NAME)));
    }

    @Test
    void getParametersByPathListsOneLevelOrEveryLevelInPages() {
        for (String arch : List.of("x86_64", "arm64")) {
            ssm.putParameter(put("/funtoo-ami-builder/funtoo/" + arch, "ami-0123456789abcdef0").build());
            ssm.putParameter(put("/funtoo-ami-builder/funtoo/" + arch + "/previous", "ami-0123456789abcdef1")
                    .build());
        }

        assertEquals(2, ssm.getParametersByPath(r -> r.path("/funtoo-ami-builder/funtoo")).parameters().size());
        GetParametersByPathResponse first = ssm.getParametersByPath(r -> r.path("/funtoo-ami-builder")
                .recursive(true).maxResults(3));
        assertEquals(3, first.parameters().size());
        GetParametersByPathResponse second = ssm.getParametersByPath(r -> r.path("/funtoo-ami-builder")
                .recursive(true).maxResults(3).nextToken(first.nextToken()));
        assertEquals(1, second.parameters().size());
        assertNull(second.nextToken());
        assertEquals(2, ssm.getParametersByPath(r -> r.path("/aws/service/ami-amazon-linux-latest"))
                .parameters().stream().filter(p -> p.name().contains("kernel-default")).count());
    }

    @Test
    void describeParametersFindsTheParametersOfOneBuildByTag() {
        ssm.putParameter(put(NAME, "v").tags(builderTags("b1")).build());
        ssm.putParameter(put("/funtoo-ami-builder/other", "v").tags(builderTags("b2")).build());

        var found = ssm.describeParameters(r -> r.parameterFilters(f -> f.key("tag:" + SimAws.BUILD_ID_TAG)
                .values("b1"))).parameters();
        assertEquals(List.of(NAME), found.stream().map(m -> m.name()).toList());
        // a key outside the published pattern fails validation; Label fits the pattern but not DescribeParameters
        var e = assertThrows(SsmException.class, () -> ssm.describeParameters(r -> r.parameterFilters(f -> f
                .key("Colour").values("blue"))));
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        var label = assertThrows(SsmException.class, () -> ssm.describeParameters(r -> r.parameterFilters(f -> f
                .key("Label").values("blue"))));
        assertEquals("InvalidFilterKey", label.awsErrorDetails().errorCode());
    }

    @Test
    void tagsGivenAtCreationAreListedAndAddTagsMergesMore() {
        ssm.putParameter(put(NAME, "v").tags(builderTags("b1")).build());
        ssm.addTagsToResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER).resourceId(NAME)
                .tags(Tag.builder().key("owner").value("ops").build()));

        var tags = ssm.listTagsForResource(r -> r.resourceType(ResourceTypeForTagging.PARAMETER).resourceId(NAME))
                .tagList();
        assertEquals(4, tags.size());
        assertThrows(InvalidResourceIdException.class, () -> ssm.listTagsForResource(r -> r
                .resourceType(ResourceTypeForTagging.PARAMETER).resourceId("/funtoo-ami-builder/missing")));
    }

    @Test
    void builderTaggedParametersAppearInTheInventoryAndOthersDoNot() {
        ssm.putParameter(put(NAME, "v").tags(builderTags("b1")).build());
        ssm.putParameter(put("/someone-else/setting", "v").build());

        List<SimResource> inventory = ssm.inventory();
        assertEquals(1, inventory.size());
        SimResource r = inventory.get(0);
        assertEquals("ssm-parameter", r.type());
        assertEquals(NAME, r.id());
        assertEquals("b1", r.tag(SimAws.BUILD_ID_TAG));
        ssm.deleteParameter(d -> d.name(NAME));
        assertTrue(ssm.inventory().isEmpty());
    }

    @Test
    void putParameterRecordsTheParameterArnAndTheRequestedTags() {
        ssm.putParameter(put(NAME, "v").tags(builderTags("b1")).build());
        ssm.putParameter(put(NAME, "w").overwrite(true).build());

        CallLog.Call create = aws.calls().all().get(0);
        assertEquals("ssm:PutParameter", create.action());
        assertEquals(List.of(new CallLog.Touched(
                        "arn:aws:ssm:us-east-1:123456789012:parameter/funtoo-ami-builder/funtoo/x86_64/latest",
                        Map.of())), create.resources());
        assertEquals("b1", create.requestTags().get(SimAws.BUILD_ID_TAG));
        CallLog.Call overwrite = aws.calls().all().get(1);
        assertEquals("b1", overwrite.resources().get(0).tags().get(SimAws.BUILD_ID_TAG));
        assertTrue(overwrite.requestTags().isEmpty());
        assertFalse(overwrite.resources().get(0).arn().contains("//"));
    }

    @Test
    void secureStringValueIsHiddenUnlessDecrypted() {
        ssm.putParameter(PutParameterRequest.builder().name(NAME).value("s3cret").type(ParameterType.SECURE_STRING)
                .build());

        assertFalse(ssm.getParameter(r -> r.name(NAME)).parameter().value().contains("s3cret"));
        assertEquals("s3cret", ssm.getParameter(r -> r.name(NAME).withDecryption(true)).parameter().value());
    }
}
