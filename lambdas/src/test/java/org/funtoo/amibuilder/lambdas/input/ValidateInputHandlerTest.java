package org.funtoo.amibuilder.lambdas.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidateInputHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");
    private final ValidateInputHandler handler =
            new ValidateInputHandler(HandlerDependencies.builder().clock(Clock.fixed(START, ZoneOffset.UTC))
                    .environment(Map.of(Env.AWS_REGION, "us-east-1")).build());

    static Stream<Arguments> badInputs() {
        String longName = "a".repeat(120) + "-{timestamp}";
        String longKey = "k".repeat(129);
        StringBuilder manyTags = new StringBuilder("{\"image\":{\"tags\":{");
        for (int i = 0; i < 41; i++) {
            manyTags.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"v\"");
        }
        manyTags.append("}}}");
        String huge = "{\"image\":{\"description\":\"" + "x".repeat(40_000) + "\"}}";
        return Stream.of(
                bad("{\"distribution\":\"ubuntu\"}", "distribution", "must be one of funtoo, gentoo"),
                bad("{\"distribution\":5}", "distribution", "must be a string (got a number)"),
                bad("{\"architecture\":\"aarch64\"}", "architecture", "must be one of x86_64, arm64"),
                bad("{\"architecture\":\"arm64\",\"image\":{\"bootMode\":\"legacy-bios\"}}", "image.bootMode",
                        "must be uefi for an arm64 build"),
                bad("{\"image\":{\"bootMode\":\"bios\"}}", "image.bootMode",
                        "must be one of legacy-bios, uefi, uefi-preferred"),
                bad("{\"image\":{\"volumeSizeGiB\":4}}", "image.volumeSizeGiB", "from 8 to 1024 (got 4)"),
                bad("{\"image\":{\"volumeSizeGiB\":2048}}", "image.volumeSizeGiB", "from 8 to 1024 (got 2048)"),
                bad("{\"image\":{\"volumeSizeGiB\":\"10\"}}", "image.volumeSizeGiB", "(got a string)"),
                bad("{\"image\":{\"volumeSizeGiB\":10.5}}", "image.volumeSizeGiB", "whole number from 8 to 1024"),
                bad("{\"image\":{\"name\":\"ab\"}}", "image.name", "must be 3–128 characters"),
                bad("{\"image\":{\"name\":\"my image!\"}}", "image.name", "( ) [ ] . / - ' @ _"),
                bad("{\"image\":{\"name\":\"funtoo-{hostname}\"}}", "image.name", "{date} and {timestamp} only"),
                bad("{\"image\":{\"name\":\"" + longName + "\"}}", "image.name", "after {date}/{timestamp} expansion"),
                bad("{\"image\":{\"description\":\"line1\\nline2\"}}", "image.description", "control characters"),
                bad("{\"image\":{\"kmsKeyId\":\"alias/builder\"}}", "image.kmsKeyId", "needs image.encrypted: true"),
                bad("{\"image\":{\"encrypted\":true,\"kmsKeyId\":\"my key\"}}", "image.kmsKeyId", "KMS key id"),
                bad("{\"image\":{\"tags\":{\"aws:owner\":\"me\"}}}", "image.tags[\"aws:owner\"]", "must not start with aws:"),
                bad("{\"image\":{\"tags\":{\"funtoo-ami-builder:build-id\":\"x\"}}}",
                        "image.tags[\"funtoo-ami-builder:build-id\"]", "must not start with funtoo-ami-builder:"),
                bad("{\"image\":{\"tags\":{\"team\":\"a`id`\"}}}", "image.tags[\"team\"]", "value may contain"),
                bad("{\"image\":{\"tags\":{\"team\":5}}}", "image.tags[\"team\"]", "value must be a string"),
                bad("{\"image\":{\"tags\":{\"" + longKey + "\":\"v\"}}}", "image.tags[", "key must be 1–128"),
                bad(manyTags.toString(), "image.tags", "at most 40 tags (got 41)"),
                bad("{\"image\":{\"tags\":{\"Name\":\"mine\"}}}", "image.tags[\"Name\"]", "set by the builder"),
                bad("{\"image\":\"big\"}", "image", "must be a JSON object (got a string)"),
                bad("{\"image\":{\"volumeSize\":10}}", "image.volumeSize", "is not a known field"),
                bad("{\"distro\":\"funtoo\"}", "distro", "is not a known field (allowed here: distribution"),
                bad("{\"stage3\":{\"url\":\"http://build.funtoo.org/stage3.tar.xz\"}}", "stage3.url", "must use https://"),
                bad("{\"stage3\":{\"url\":\"https://user:pw@example.org/stage3.tar.xz\"}}", "stage3.url",
                        "must not contain credentials"),
                bad("{\"stage3\":{\"url\":\"https://example.org/stage3.tar.xz;rm -rf /\"}}", "stage3.url",
                        "no credentials, query, fragment, spaces or shell metacharacters"),
                bad("{\"stage3\":{\"url\":\"https://example.org/s.tar.xz?a=1&b=$(id)\"}}", "stage3.url",
                        "shell metacharacters"),
                bad("{\"stage3\":{\"url\":\"https://example.org/s.tar.xz\",\"release\":\"next\"}}", "stage3.url",
                        "excludes stage3.baseUrl"),
                bad("{\"stage3\":{\"baseUrl\":\"ftp://mirror.example.org\"}}", "stage3.baseUrl", "https://"),
                bad("{\"stage3\":{\"release\":\"next; reboot\"}}", "stage3.release", "1–64 letters"),
                bad("{\"stage3\":{\"subarch\":\"generic_64 && id\"}}", "stage3.subarch", "1–64 letters"),
                bad("{\"stage3\":{\"sha256\":\"abc123\"}}", "stage3.sha256", "64 hexadecimal characters"),
                bad("{\"stage3\":{\"verifySignature\":\"yes\"}}", "stage3.verifySignature", "true or false"),
                bad("{\"network\":{\"subnetId\":\"subnet-0123456789abcdef0\"}}", "network.securityGroupId",
                        "must be given together with network.subnetId"),
                bad("{\"network\":{\"securityGroupId\":\"sg-0123456789abcdef0\"}}", "network.subnetId",
                        "must be given together with network.securityGroupId"),
                bad("{\"network\":{\"subnetId\":\"subnet-xyz\",\"securityGroupId\":\"sg-0123456789abcdef0\"}}",
                        "network.subnetId", "8 or 17 hex digits"),
                bad("{\"network\":{\"subnetId\":\"subnet-0123456789abcdef0\",\"securityGroupId\":\"sg-12\"}}",
                        "network.securityGroupId", "8 or 17 hex digits"),
                bad("{\"helper\":{\"instanceType\":\"T3 small\"}}", "helper.instanceType", "like t3.small"),
                bad("{\"helper\":{\"imageId\":\"ami-123\"}}", "helper.imageId", "AMI id"),
                bad("{\"helper\":{\"spot\":1}}", "helper.spot", "true or false (got a number)"),
                bad("{\"bootstrap\":{\"hostname\":\"my_host\"}}", "bootstrap.hostname", "RFC 1123"),
                bad("{\"bootstrap\":{\"hostname\":\"host;reboot\"}}", "bootstrap.hostname", "RFC 1123"),
                bad("{\"bootstrap\":{\"hostname\":\"-lead.example.org\"}}", "bootstrap.hostname", "RFC 1123"),
                bad("{\"bootstrap\":{\"timeoutMinutes\":5}}", "bootstrap.timeoutMinutes", "from 10 to 480 (got 5)"),
                bad("{\"bootstrap\":{\"timeoutMinutes\":481}}", "bootstrap.timeoutMinutes", "from 10 to 480"),
                bad("{\"bootstrap\":{\"extraPackages\":[\"app-editors/vim; curl x|sh\"]}}",
                        "bootstrap.extraPackages[0]", "package atom"),
                bad("{\"bootstrap\":{\"extraPackages\":[\"app-misc/tmux\",\"app-misc/$(id)\"]}}",
                        "bootstrap.extraPackages[1]", "no spaces or shell metacharacters"),
                bad("{\"bootstrap\":{\"extraPackages\":[\"vim\"]}}", "bootstrap.extraPackages[0]", "package atom"),
                bad("{\"bootstrap\":{\"extraPackages\":[\">=dev-lang/perl\"]}}", "bootstrap.extraPackages[0]",
                        "version operator but no version"),
                bad("{\"bootstrap\":{\"extraPackages\":\"app-editors/vim\"}}", "bootstrap.extraPackages",
                        "must be a list of strings (got a string)"),
                bad("{\"smokeTest\":{\"enabled\":\"no\"}}", "smokeTest.enabled", "true or false"),
                bad("{\"publish\":{\"launchPermissionAccountIds\":[\"12345\"]}}",
                        "publish.launchPermissionAccountIds[0]", "12-digit AWS account id"),
                bad("{\"image\":{\"encrypted\":true},\"publish\":{\"public\":true}}", "publish.public",
                        "encrypted image"),
                bad("{\"image\":{\"encrypted\":true},\"publish\":{\"launchPermissionAccountIds\":[\"210987654321\"]}}",
                        "publish.launchPermissionAccountIds", "needs image.kmsKeyId"),
                bad("{\"publish\":{\"copyToRegions\":[\"us-east-1\"]}}", "publish.copyToRegions[0]",
                        "the build's own region"),
                bad("{\"publish\":{\"copyToRegions\":[\"Mars-North-1\"]}}", "publish.copyToRegions[0]",
                        "region name like eu-west-1"),
                bad("{\"publish\":{\"keepLatest\":0}}", "publish.keepLatest", "from 1 to 1000 (got 0)"),
                bad("{\"publish\":{\"deprecateAfterDays\":-3}}", "publish.deprecateAfterDays", "from 1 to 3650"),
                bad("{\"publish\":{\"ssmParameterName\":\"/aws/service/mine\"}}", "publish.ssmParameterName",
                        "must be under /funtoo-ami-builder/"),
                bad("{\"publish\":{\"ssmParameterName\":\"/images/funtoo/latest\"}}", "publish.ssmParameterName",
                        "the stack lets the builder write parameters there only"),
                bad("{\"publish\":{\"ssmParameterName\":\"/funtoo-ami-builder/\"}}", "publish.ssmParameterName",
                        "up to 15 levels"),
                bad("{\"publish\":{\"ssmParameterName\":\"funtoo latest\"}}", "publish.ssmParameterName",
                        "up to 15 levels"),
                bad("{\"publish\":{\"public\":\"true\"}}", "publish.public", "true or false (got a string)"),
                bad("{\"keepResources\":\"false\"}", "keepResources", "true or false (got a string)"),
                bad(huge, "input", "larger than 32768 bytes"),
                bad("{\"architecture\":\"arm64\"}", "distribution",
                        "Funtoo's arm64 stage3 carries no kernel and its kernel package (sys-kernel/debian-sources)"
                                + " does not build on arm64; use gentoo"),
                bad("{\"publish\":{\"public\":true,\"deprecateAfterDays\":731}}", "publish.deprecateAfterDays",
                        "must be at most 730 with publish.public: true"),
                bad("{\"stage3\":{\"verifySignature\":false}}", "stage3.verifySignature",
                        "may be false only together with stage3.sha256"));
    }

    private static Arguments bad(String json, String field, String allowed) {
        return Arguments.of(json, field, allowed);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badInputs")
    void badInputFailsWithInvalidInputNamingTheField(String json, String field, String allowed) throws Exception {
        BuildFailure failure = assertThrows(BuildFailure.class, () -> validate(JSON.readValue(json, Map.class)));
        assertEquals(ErrorName.InvalidInput, failure.errorName());
        assertEquals(ErrorName.InvalidInput.errorType(), failure.getClass().getName(), "the error type Step Functions sees");
        assertTrue(failure.getMessage().contains(field + ": ") || field.endsWith("[")
                        && failure.getMessage().contains(field),
                () -> "message should name " + field + ": " + failure.getMessage());
        assertTrue(failure.getMessage().contains(allowed),
                () -> "message should say '" + allowed + "': " + failure.getMessage());
    }

    @Test
    void badInputCasesAreAtLeastThirtyDistinctDocuments() {
        assertTrue(badInputs().map(a -> a.get()[0]).distinct().count() >= 30);
    }

    @Test
    void everyProblemIsNamedInOneMessage() throws Exception {
        BuildFailure failure = assertThrows(BuildFailure.class, () -> validate(JSON.readValue(
                "{\"architecture\":\"sparc\",\"image\":{\"volumeSizeGiB\":1},\"network\":{\"subnetId\":"
                        + "\"subnet-0123456789abcdef0\"},\"bootstrap\":{\"hostname\":\"a b\"},\"typo\":true}",
                Map.class)));
        String message = failure.getMessage();
        assertTrue(message.startsWith("Invalid build input (5 problems): "), message);
        for (String field : List.of("architecture: ", "image.volumeSizeGiB: ", "network.securityGroupId: ",
                "bootstrap.hostname: ", "typo: ")) {
            assertTrue(message.contains(field), () -> field + " missing from " + message);
        }
    }

    /**
     * The schema's problems and the rules in code come in one message, each field named once: a field the schema
     * refuses is not judged again by the rules across fields (the bad stage3.url is not also said to exclude
     * stage3.release).
     */
    @Test
    void shapeProblemsAndRulesAcrossFieldsAreNamedTogether() throws Exception {
        BuildFailure failure = assertThrows(BuildFailure.class, () -> validate(JSON.readValue(
                "{\"publish\":{\"copyToRegions\":[\"us-east-1\",\"Mars\",\"eu-west-1\",\"eu-west-1\"]},"
                        + "\"image\":{\"volumeSizeGiB\":\"ten\",\"tags\":{\"aws:x\":\"y\",\"team\":5}},"
                        + "\"stage3\":{\"url\":\"http://x.org/a\",\"release\":\"next\"}}", Map.class)));
        assertEquals("Invalid build input (7 problems): "
                + "stage3.url: must use https://, not http:// (got \"http://x.org/a\"); "
                + "image.volumeSizeGiB: must be a whole number from 8 to 1024 (got a string); "
                + "image.tags[\"team\"]: value must be a string (got a number); "
                + "publish.copyToRegions[1]: must be a region name like eu-west-1 (got \"Mars\"); "
                + "image.tags[\"aws:x\"]: key must not start with aws: (reserved by AWS); "
                + "publish.copyToRegions[0]: is the build's own region (got \"us-east-1\"); "
                + "publish.copyToRegions[3]: is listed twice (got \"eu-west-1\")", failure.getMessage());
    }

    @Test
    void inputThatIsNotAnObjectIsInvalid() {
        BuildFailure failure = assertThrows(BuildFailure.class, () -> validate(List.of("funtoo")));
        assertTrue(failure.getMessage().contains("input: must be a JSON object (got a list)"), failure.getMessage());
    }

    @Test
    void executionNameThatCannotBeATagOrParameterIsRejected() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("input", Map.of());
        event.put("buildId", "build with spaces");
        BuildFailure failure = assertThrows(BuildFailure.class, () -> handler.handleRequest(event, null));
        assertEquals(ErrorName.InvalidInput, failure.errorName());
        assertTrue(failure.getMessage().contains("buildId (the execution name)"), failure.getMessage());
    }

    @Test
    void emptyInputBuildsFuntooNextOnX86InATemporaryVpc() {
        Map<String, Object> doc = handler.handleRequest(event(Map.of()), null);
        assertEquals(Map.of(), doc.get("resources"));
        assertEquals(Map.of(), doc.get("poll"));
        Map<String, Object> config = section(doc, "config");
        assertEquals("b-1", config.get("buildId"));
        assertEquals("us-east-1", config.get("region"));
        assertEquals(START.toString(), config.get("startedAt"));
        assertEquals("funtoo", config.get("distribution"));
        assertEquals("x86_64", config.get("architecture"));
        assertEquals(false, config.get("keepResources"));
        Map<String, Object> stage3 = section(config, "stage3");
        assertNull(stage3.get("url"));
        assertEquals("https://build.funtoo.org", stage3.get("baseUrl"));
        assertEquals("next", stage3.get("release"));
        assertEquals("generic_64", stage3.get("subarch"));
        assertNull(stage3.get("sha256"));
        assertEquals(true, stage3.get("verifySignature"));
        Map<String, Object> image = section(config, "image");
        assertEquals("funtoo-next-x86_64-20260304-050607", image.get("name"));
        assertEquals(10L, image.get("volumeSizeGiB"));
        assertEquals("uefi-preferred", image.get("bootMode"));
        assertEquals(false, image.get("encrypted"));
        assertEquals(Map.of(), image.get("tags"));
        assertEquals(true, section(config, "network").get("temporary"));
        assertEquals("t3.small", section(config, "helper").get("instanceType"));
        assertNull(section(config, "helper").get("imageId"));
        assertEquals(false, section(config, "helper").get("spot"));
        Map<String, Object> bootstrap = section(config, "bootstrap");
        assertEquals("funtoo", bootstrap.get("hostname"));
        assertNull(bootstrap.get("timeoutMinutes"), "the stack's limit applies");
        assertEquals(List.of(), bootstrap.get("extraPackages"));
        assertEquals(true, section(config, "smokeTest").get("enabled"));
        assertEquals("t3.micro", section(config, "smokeTest").get("instanceType"));
        Map<String, Object> publish = section(config, "publish");
        assertEquals("/funtoo-ami-builder/funtoo/x86_64/latest", publish.get("ssmParameterName"));
        assertEquals(false, publish.get("public"));
        assertNull(publish.get("keepLatest"));
    }

    @Test
    void arm64DefaultsToGravitonHelperUefiAndTheArm64Subarch() {
        Map<String, Object> config = config("{\"distribution\":\"gentoo\",\"architecture\":\"arm64\"}");
        assertEquals("t4g.small", section(config, "helper").get("instanceType"));
        assertEquals("t4g.micro", section(config, "smokeTest").get("instanceType"));
        assertEquals("uefi", section(config, "image").get("bootMode"));
        assertEquals("arm64-openrc", section(config, "stage3").get("subarch"));
    }

    @Test
    void funtooOnArm64IsRefusedWithTheReasonAndGentooSuggested() {
        BuildFailure failure = assertThrows(BuildFailure.class,
                () -> validate(Map.of("distribution", "funtoo", "architecture", "arm64")));
        assertEquals(ErrorName.InvalidInput, failure.errorName());
        assertEquals("Invalid build input (1 problem): distribution: funtoo cannot be built for arm64: Funtoo's arm64"
                + " stage3 carries no kernel and its kernel package (sys-kernel/debian-sources) does not build on"
                + " arm64; use gentoo for arm64 (distribution: gentoo)", failure.getMessage());
    }

    @Test
    void publicImagesMayBeDeprecatedAtMostTwoYearsAheadPrivateOnesLater() {
        Map<String, Object> publicTwoYears = section(config(
                "{\"publish\":{\"public\":true,\"deprecateAfterDays\":730}}"), "publish");
        assertEquals(730L, publicTwoYears.get("deprecateAfterDays"));
        Map<String, Object> privateTenYears = section(config("{\"publish\":{\"deprecateAfterDays\":3650}}"),
                "publish");
        assertEquals(3650L, privateTenYears.get("deprecateAfterDays"));
        BuildFailure failure = assertThrows(BuildFailure.class, () -> validate(
                Map.of("publish", Map.of("public", true, "deprecateAfterDays", 3650))));
        assertTrue(failure.getMessage().contains("publish.deprecateAfterDays: must be at most 730 with publish.public:"
                + " true (EC2 deprecates public AMIs at most 2 years ahead) (got 3650)"), failure.getMessage());
    }

    @Test
    void signatureCheckMayBeTurnedOffOnlyForAPinnedDigest() {
        BuildFailure failure = assertThrows(BuildFailure.class, () -> validate(
                Map.of("stage3", Map.of("verifySignature", false))));
        assertTrue(failure.getMessage().contains("stage3.verifySignature: may be false only together with"
                + " stage3.sha256"), failure.getMessage());
        Map<String, Object> pinned = section(config("{\"stage3\":{\"verifySignature\":false,\"sha256\":\""
                + "ab".repeat(32) + "\"}}"), "stage3");
        assertEquals(false, pinned.get("verifySignature"));
        assertEquals("ab".repeat(32), pinned.get("sha256"));
    }

    @Test
    void atomsWithSlotsRepositoriesAndVersionsAreAccepted() {
        List<String> atoms = List.of(">=dev-lang/perl-5.38:0", "=dev-lang/python-3.12.3:3.12",
                "=sys-kernel/gentoo-sources-6.6.30::gentoo", "~app-misc/tmux-3.4:0/1=::gentoo", "_a/_b",
                "=app-misc/screen-4*:0");
        Map<String, Object> bootstrap = section(config("{\"bootstrap\":{\"extraPackages\":"
                + atoms.stream().map(a -> "\"" + a + "\"").toList() + "}}"), "bootstrap");
        assertEquals(atoms, bootstrap.get("extraPackages"));
        BuildFailure failure = assertThrows(BuildFailure.class, () -> validate(
                Map.of("bootstrap", Map.of("extraPackages", List.of(">=dev-lang/perl:0", "dev-lang/perl-5*::gentoo")))));
        assertTrue(failure.getMessage().contains("bootstrap.extraPackages[0]: has a version operator but no version"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("bootstrap.extraPackages[1]: may end in * only after the = operator"),
                failure.getMessage());
    }

    @Test
    void subarchWithPlusIsAccepted() {
        assertEquals("amd64-openrc+llvm", section(config(
                "{\"distribution\":\"gentoo\",\"stage3\":{\"subarch\":\"amd64-openrc+llvm\"}}"), "stage3")
                .get("subarch"));
    }

    @Test
    void gentooDefaultsToTheAutobuildsLatestPointer() {
        Map<String, Object> config = config("{\"distribution\":\"gentoo\",\"architecture\":\"arm64\"}");
        Map<String, Object> stage3 = section(config, "stage3");
        // the base only: distros/gentoo.sh appends <amd64|arm64>/autobuilds itself
        assertEquals("https://distfiles.gentoo.org/releases", stage3.get("baseUrl"));
        assertEquals("latest", stage3.get("release"));
        assertEquals("arm64-openrc", stage3.get("subarch"));
        assertEquals("gentoo", section(config, "bootstrap").get("hostname"));
        assertEquals("gentoo-latest-arm64-20260304-050607", section(config, "image").get("name"));
        Map<String, Object> amd64 = section(config("{\"distribution\":\"gentoo\"}"), "stage3");
        assertEquals("https://distfiles.gentoo.org/releases", amd64.get("baseUrl"));
        assertEquals("amd64-openrc", amd64.get("subarch"));
    }

    @Test
    void explicitStage3UrlLeavesTheDerivedFieldsUnset() {
        Map<String, Object> config = config("{\"stage3\":{\"url\":\"https://mirror.example.org/funtoo/"
                + "stage3-generic_64-next-2026-03-01.tar.xz\",\"sha256\":\"" + "AB".repeat(32) + "\"}}");
        Map<String, Object> stage3 = section(config, "stage3");
        assertEquals("https://mirror.example.org/funtoo/stage3-generic_64-next-2026-03-01.tar.xz", stage3.get("url"));
        assertNull(stage3.get("baseUrl"));
        assertNull(stage3.get("release"));
        assertNull(stage3.get("subarch"));
        assertEquals("ab".repeat(32), stage3.get("sha256"), "sha256 normalised to lower case");
        assertEquals("funtoo-custom-x86_64-20260304-050607", section(config, "image").get("name"));
    }

    @Test
    void fullInputIsKeptAndNamePlaceholdersExpand() {
        Map<String, Object> config = config("""
                {"distribution":"funtoo","architecture":"x86_64",
                 "stage3":{"baseUrl":"https://mirror.example.org/funtoo/","release":"1.4-release-std",
                           "subarch":"intel64-skylake","verifySignature":false,"sha256":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"},
                 "image":{"name":"funtoo (1.4) [{date}] {timestamp}","description":"Funtoo for CI",
                          "volumeSizeGiB":20.0,"bootMode":"legacy-bios","encrypted":true,
                          "kmsKeyId":"arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab",
                          "tags":{"team":"platform","cost-center":"42 / ops"}},
                 "network":{"subnetId":"subnet-0123456789abcdef0","securityGroupId":"sg-89abcdef"},
                 "helper":{"instanceType":"c7i.large","imageId":"ami-0123456789abcdef0","spot":true},
                 "bootstrap":{"hostname":"Build.Example.org","timeoutMinutes":120,
                              "extraPackages":["app-editors/vim",">=dev-lang/perl-5.38","sys-kernel/gentoo-sources:6.6",
                                               "=app-misc/tmux-3.4*","dev-vcs/git::gentoo"]},
                 "smokeTest":{"enabled":false,"instanceType":"m7i.large"},
                 "publish":{"ssmParameterName":"/funtoo-ami-builder/images/latest",
                            "launchPermissionAccountIds":["210987654321","210987654321"],
                            "copyToRegions":["eu-west-1","us-gov-west-1"],"keepLatest":3,"deprecateAfterDays":90},
                 "keepResources":true}
                """);
        Map<String, Object> image = section(config, "image");
        assertEquals("funtoo (1.4) [2026-03-04] 20260304-050607", image.get("name"));
        assertEquals(20L, image.get("volumeSizeGiB"));
        assertEquals("legacy-bios", image.get("bootMode"));
        assertEquals(Map.of("team", "platform", "cost-center", "42 / ops"), image.get("tags"));
        assertEquals("https://mirror.example.org/funtoo", section(config, "stage3").get("baseUrl"));
        assertEquals(false, section(config, "stage3").get("verifySignature"));
        Map<String, Object> network = section(config, "network");
        assertEquals(false, network.get("temporary"));
        assertEquals("sg-89abcdef", network.get("securityGroupId"));
        assertEquals("build.example.org", section(config, "bootstrap").get("hostname"));
        assertEquals(5, ((List<?>) section(config, "bootstrap").get("extraPackages")).size());
        Map<String, Object> publish = section(config, "publish");
        assertEquals(List.of("210987654321"), publish.get("launchPermissionAccountIds"), "duplicates dropped");
        assertEquals(3L, publish.get("keepLatest"));
        assertEquals(90L, publish.get("deprecateAfterDays"));
        assertEquals(true, config.get("keepResources"));
    }

    @Test
    void startTimeFallsBackToTheClockWhenTheStateDoesNotPassIt() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("input", Map.of());
        event.put("buildId", "b-2");
        Map<String, Object> config = section(handler.handleRequest(event, null), "config");
        assertEquals(START.toString(), config.get("startedAt"));
    }

    private Map<String, Object> config(String json) {
        try {
            return section(handler.handleRequest(event(JSON.readValue(json, Map.class)), null), "config");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void validate(Object input) {
        handler.handleRequest(event(input), null);
    }

    private static Map<String, Object> event(Object input) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("input", input);
        event.put("buildId", "b-1");
        event.put("startedAt", START.toString());
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }
}
