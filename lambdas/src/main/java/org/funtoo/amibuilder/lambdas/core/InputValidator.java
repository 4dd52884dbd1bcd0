package org.funtoo.amibuilder.lambdas.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Turns the execution input into {@code config}: every field checked, every default filled in. Every problem is
 * collected, so one {@code InvalidInput} names all offending fields and what each allows; unknown fields are
 * problems too, since a typo must not silently fall back to a default. The input is declared in
 * schema/build-input.schema.json: its shape (types, allowed values, patterns, ranges, unknown fields) is checked
 * against that file by a JSON Schema library ({@link InputShape}), the rules across fields (and AWS's rules for
 * tags and names that the schema lists in x-crossFieldRules) are the code here. The static defaults are read from
 * the schema, those that depend on the distribution or architecture are {@link Defaults}; lambdas/README.md's
 * table is generated from the schema.
 */
public final class InputValidator {
    public static final int MAX_INPUT_BYTES = 32 * 1024;
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final List<String> problems = new ArrayList<>();
    private List<InputShape.Problem> shape = List.of();

    private InputValidator() {
    }

    /**
     * @param input     the execution input as Step Functions passed it
     * @param buildId   the execution name
     * @param startedAt the execution's start time
     * @param region    the region the build runs in
     * @return the {@code config} object
     * @throws BuildFailure {@code InvalidInput} naming every problem
     */
    public static Map<String, Object> validate(Object input, String buildId, Instant startedAt, String region) {
        return new InputValidator().run(input, buildId, startedAt, region);
    }

    private Map<String, Object> run(Object input, String buildId, Instant startedAt, String region) {
        if (buildId == null || !InputRules.BUILD_ID.matcher(buildId).matches()) {
            problem("buildId (the execution name)", "must be 1–80 letters, digits, - or _", buildId);
            throw failure();
        }
        long size = JsonSize.of(input, MAX_INPUT_BYTES);
        if (size > MAX_INPUT_BYTES) {
            problems.add("input: is larger than " + MAX_INPUT_BYTES + " bytes of JSON; this is not a build request");
            throw failure();
        }
        shape = InputShape.problems(input == null ? Map.of() : input);
        shape.forEach(p -> problems.add(p.message()));
        Obj root = new Obj("", shape.isEmpty() || InputShape.at(shape, "").isEmpty() ? input : null);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("buildId", buildId);
        config.put("region", region);
        config.put("startedAt", startedAt.toString());

        String distribution = root.string("distribution").orElse(InputSchema.defaultString("/properties/distribution"));
        String architecture = root.string("architecture").orElse(InputSchema.defaultString("/properties/architecture"));
        if (distribution.equals("funtoo") && architecture.equals("arm64")) {
            problem("distribution", "funtoo cannot be built for arm64: Funtoo's arm64 stage3 carries no kernel and"
                    + " its kernel package (sys-kernel/debian-sources) does not build on arm64; use gentoo for arm64"
                    + " (distribution: gentoo)");
        }
        config.put("distribution", distribution);
        config.put("architecture", architecture);
        Map<String, Object> stage3 = stage3(root.obj("stage3"), distribution, architecture);
        Map<String, Object> image = image(root.obj("image"), distribution, architecture, stage3, startedAt);
        config.put("stage3", stage3);
        config.put("image", image);
        config.put("network", network(root.obj("network")));
        config.put("helper", helper(root.obj("helper"), architecture));
        config.put("bootstrap", bootstrap(root.obj("bootstrap"), distribution));
        config.put("smokeTest", smokeTest(root.obj("smokeTest"), architecture));
        config.put("publish", publish(root.obj("publish"), distribution, architecture, image, region));
        config.put("keepResources", root.bool("keepResources")
                .orElse(InputSchema.defaultBoolean("/properties/keepResources")));
        if (!problems.isEmpty()) {
            throw failure();
        }
        return config;
    }

    private Map<String, Object> stage3(Obj in, String distribution, String architecture) {
        Optional<String> url = in.string("url");
        Optional<String> baseUrl = in.string("baseUrl").map(u -> u.replaceAll("/+$", ""));
        Optional<String> release = in.string("release");
        Optional<String> subarch = in.string("subarch");
        Map<String, Object> out = new LinkedHashMap<>();
        if (url.isPresent() && (baseUrl.isPresent() || release.isPresent() || subarch.isPresent())) {
            problem("stage3.url", "excludes stage3.baseUrl, stage3.release and stage3.subarch (give one or the other)");
        }
        out.put("url", url.orElse(null));
        boolean derived = url.isEmpty();
        out.put("baseUrl", derived ? baseUrl.orElse(Defaults.stage3BaseUrl(distribution)) : null);
        out.put("release", derived ? release.orElse(Defaults.stage3Release(distribution)) : null);
        out.put("subarch", derived ? subarch.orElse(Defaults.stage3Subarch(distribution, architecture)) : null);
        out.put("sha256", in.string("sha256").map(s -> s.toLowerCase(java.util.Locale.ROOT)).orElse(null));
        boolean verifySignature = in.bool("verifySignature")
                .orElse(InputSchema.defaultBoolean("/properties/stage3/properties/verifySignature"));
        if (!verifySignature && !in.given("sha256")) {
            problem("stage3.verifySignature", "may be false only together with stage3.sha256: a stage3 must be"
                    + " verified by its signature or by a pinned digest (give stage3.sha256, or leave"
                    + " stage3.verifySignature true)");
        }
        out.put("verifySignature", verifySignature);
        return out;
    }

    private Map<String, Object> image(Obj in, String distribution, String architecture, Map<String, Object> stage3,
                                      Instant startedAt) {
        Map<String, Object> out = new LinkedHashMap<>();
        String release = stage3.get("url") == null ? String.valueOf(stage3.get("release")) : "custom";
        String template = in.string("name")
                .orElse(distribution + "-" + release + "-" + architecture + "-{timestamp}");
        out.put("name", imageName(template, startedAt));
        out.put("family", distribution + "/" + architecture + "/" + template);
        Optional<String> description = in.string("description");
        description.filter(d -> d.chars().anyMatch(Character::isISOControl)).ifPresent(d ->
                problem("image.description", "must not contain control characters", d));
        out.put("description", description.orElse(Defaults.description(distribution, release, architecture)));
        out.put("volumeSizeGiB", in.whole("volumeSizeGiB")
                .orElse(InputSchema.defaultWhole("/properties/image/properties/volumeSizeGiB")));
        String bootMode = in.string("bootMode").orElse(Defaults.bootMode(architecture));
        if (architecture.equals("arm64") && !bootMode.equals("uefi")) {
            problem("image.bootMode", "must be uefi for an arm64 build (arm64 instances boot only with UEFI)", bootMode);
        }
        out.put("bootMode", bootMode);
        boolean encrypted = in.bool("encrypted")
                .orElse(InputSchema.defaultBoolean("/properties/image/properties/encrypted"));
        Optional<String> kmsKeyId = in.string("kmsKeyId");
        if (kmsKeyId.isPresent() && !encrypted) {
            problem("image.kmsKeyId", "needs image.encrypted: true");
        }
        out.put("encrypted", encrypted);
        out.put("kmsKeyId", kmsKeyId.orElse(null));
        out.put("tags", tags(in.obj("tags")));
        return out;
    }

    private String imageName(String template, Instant startedAt) {
        Matcher m = InputRules.PLACEHOLDER.matcher(template);
        StringBuilder name = new StringBuilder();
        boolean unknownPlaceholder = false;
        while (m.find()) {
            String expansion = switch (m.group(1)) {
                case "date" -> DATE.format(startedAt);
                case "timestamp" -> TIMESTAMP.format(startedAt);
                default -> null;
            };
            if (expansion == null) {
                unknownPlaceholder = true;
                problem("image.name", "may use the placeholders {date} and {timestamp} only", m.group());
                expansion = m.group();
            }
            m.appendReplacement(name, Matcher.quoteReplacement(expansion));
        }
        m.appendTail(name);
        String expanded = name.toString();
        if (!unknownPlaceholder && !InputRules.AMI_NAME.matcher(expanded).matches()) {
            problem("image.name", "must be 3–128 characters (after {date}/{timestamp} expansion) of letters, digits,"
                    + " spaces and ( ) [ ] . / - ' @ _", expanded);
        }
        return expanded;
    }

    /** The tags' shape (how many, key and value lengths, strings) is the schema's; these are AWS's and ours. */
    private Map<String, String> tags(Obj tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.entries().forEach((key, value) -> {
            String path = "image.tags[\"" + InputShape.shorten(key) + "\"]";
            InputRules.tagKey(key).ifPresent(p -> problem(path, p));
            InputRules.tagValue((String) value).ifPresent(p -> problem(path, p));
            out.put(key, (String) value);
        });
        return out;
    }

    private Map<String, Object> network(Obj in) {
        Optional<String> subnet = in.string("subnetId");
        Optional<String> group = in.string("securityGroupId");
        boolean subnetGiven = in.given("subnetId");
        boolean groupGiven = in.given("securityGroupId");
        if (subnetGiven != groupGiven) {
            problem(subnetGiven ? "network.securityGroupId" : "network.subnetId",
                    "must be given together with network." + (subnetGiven ? "subnetId" : "securityGroupId")
                            + " (give both to use an existing network, neither for a temporary VPC)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("temporary", !subnetGiven && !groupGiven);
        out.put("subnetId", subnet.orElse(null));
        out.put("securityGroupId", group.orElse(null));
        return out;
    }

    private Map<String, Object> helper(Obj in, String architecture) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instanceType", in.string("instanceType").orElse(Defaults.helperInstanceType(architecture)));
        out.put("imageId", in.string("imageId").orElse(null));
        out.put("spot", in.bool("spot").orElse(InputSchema.defaultBoolean("/properties/helper/properties/spot")));
        return out;
    }

    private Map<String, Object> bootstrap(Obj in, String distribution) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hostname", in.string("hostname").map(h -> h.toLowerCase(java.util.Locale.ROOT)).orElse(distribution));
        // none given: the stack's bootstrapTimeoutMinutes (the bootstrap document's default) applies
        out.put("timeoutMinutes", in.whole("timeoutMinutes").orElse(null));
        out.put("extraPackages", in.strings("extraPackages").orElse(List.of()));
        return out;
    }

    private Map<String, Object> smokeTest(Obj in, String architecture) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", in.bool("enabled")
                .orElse(InputSchema.defaultBoolean("/properties/smokeTest/properties/enabled")));
        out.put("instanceType", in.string("instanceType").orElse(Defaults.smokeTestInstanceType(architecture)));
        return out;
    }

    private Map<String, Object> publish(Obj in, String distribution, String architecture, Map<String, Object> image,
                                        String region) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ssmParameterName", in.string("ssmParameterName")
                .orElse(Defaults.ssmParameterName(distribution, architecture)));
        List<String> accounts = in.strings("launchPermissionAccountIds").orElse(List.of());
        boolean isPublic = in.bool("public")
                .orElse(InputSchema.defaultBoolean("/properties/publish/properties/public"));
        boolean encrypted = Boolean.TRUE.equals(image.get("encrypted"));
        if (isPublic && encrypted) {
            problem("publish.public", "cannot be true for an encrypted image (AWS does not share encrypted AMIs publicly)");
        }
        if (!accounts.isEmpty() && encrypted && image.get("kmsKeyId") == null) {
            problem("publish.launchPermissionAccountIds", "needs image.kmsKeyId: an image encrypted with the default"
                    + " EBS key cannot be shared");
        }
        List<String> regions = in.strings("copyToRegions").orElse(List.of());
        java.util.Set<String> seen = new java.util.HashSet<>();
        in.items("copyToRegions").forEach((i, r) -> {
            if (r.equals(region)) {
                problem("publish.copyToRegions[" + i + "]", "is the build's own region", r);
            } else if (!seen.add(r)) {
                problem("publish.copyToRegions[" + i + "]", "is listed twice", r);
            }
        });
        out.put("launchPermissionAccountIds", List.copyOf(new LinkedHashSet<>(accounts)));
        out.put("public", isPublic);
        out.put("copyToRegions", regions);
        out.put("keepLatest", in.whole("keepLatest").orElse(null));
        Optional<Long> deprecateAfterDays = in.whole("deprecateAfterDays");
        // EC2 deprecates a public AMI at most two years ahead ("If the AMI is public, the deprecation date can't
        // be more than 2 years in the future": https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-deprecate.html)
        if (isPublic && deprecateAfterDays.isPresent() && deprecateAfterDays.get() > MAX_PUBLIC_DEPRECATION_DAYS) {
            problem("publish.deprecateAfterDays", "must be at most " + MAX_PUBLIC_DEPRECATION_DAYS
                    + " with publish.public: true (EC2 deprecates public AMIs at most 2 years ahead)",
                    deprecateAfterDays.get());
        }
        out.put("deprecateAfterDays", deprecateAfterDays.orElse(null));
        return out;
    }

    /** Two years: the furthest EC2 lets a public AMI's deprecation lie ahead. */
    static final long MAX_PUBLIC_DEPRECATION_DAYS = 730;

    private void problem(String path, String what) {
        problems.add(path + ": " + what);
    }

    private void problem(String path, String what, Object got) {
        problems.add(path + ": " + what + " (got " + quote(got) + ")");
    }

    private BuildFailure failure() {
        return BuildFailure.of(ErrorName.InvalidInput, "Invalid build input (" + problems.size()
                + (problems.size() == 1 ? " problem): " : " problems): ") + String.join("; ", problems));
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + InputShape.shorten(s) + "\"" : InputShape.shorten(String.valueOf(value));
    }

    /**
     * One input object, read after the schema checked its shape: a field the schema found wrong reads as absent
     * (its problem is already named), every other field has the type the schema declares.
     */
    private final class Obj {
        private final String pointer;
        private final Map<String, Object> map;

        @SuppressWarnings("unchecked")
        Obj(String pointer, Object value) {
            this.pointer = pointer;
            this.map = value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }

        private String at(String key) {
            return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
        }

        /** Whether the input gives the field at all, valid or not. */
        boolean given(String key) {
            return map.get(key) != null;
        }

        private Optional<Object> read(String key) {
            return InputShape.within(shape, at(key)) ? Optional.empty() : Optional.ofNullable(map.get(key));
        }

        Obj obj(String key) {
            return new Obj(at(key), InputShape.at(shape, at(key)).isPresent() ? null : map.get(key));
        }

        /** The fields of a free-form object (image.tags) that the schema found no fault with. */
        Map<String, Object> entries() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (InputShape.at(shape, pointer).isEmpty()) {
                map.forEach((k, v) -> read(k).ifPresent(value -> out.put(k, value)));
            }
            return out;
        }

        Optional<String> string(String key) {
            return read(key).map(String.class::cast);
        }

        Optional<Boolean> bool(String key) {
            return read(key).map(Boolean.class::cast);
        }

        /** A whole number (the schema allows 20.0 for 20). */
        Optional<Long> whole(String key) {
            return read(key).map(n -> new BigDecimal(n.toString()).longValueExact());
        }

        /** The entries of a list of strings that the schema found no fault with, by index. */
        Map<Integer, String> items(String key) {
            Map<Integer, String> out = new LinkedHashMap<>();
            if (InputShape.at(shape, at(key)).isEmpty() && map.get(key) instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (InputShape.at(shape, at(key) + "/" + i).isEmpty()) {
                        out.put(i, (String) list.get(i));
                    }
                }
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        Optional<List<String>> strings(String key) {
            return read(key).map(list -> List.copyOf((List<String>) list));
        }
    }
}
