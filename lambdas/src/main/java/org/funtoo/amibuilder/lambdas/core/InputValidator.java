package org.funtoo.amibuilder.lambdas.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the execution input into {@code config}: every field checked, every default filled in. Every problem is
 * collected, so one {@code InvalidInput} names all offending fields and what each allows; unknown fields are
 * problems too, since a typo must not silently fall back to a default. The input is declared in
 * schema/build-input.schema.json: the static defaults are read from there, those that depend on the distribution
 * or architecture are {@link Defaults}; lambdas/README.md's table is generated from the schema.
 */
public final class InputValidator {
    public static final int MAX_INPUT_BYTES = 32 * 1024;
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final List<String> problems = new ArrayList<>();

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
        Obj root = new Obj("", input == null ? Map.of() : input);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("buildId", buildId);
        config.put("region", region);
        config.put("startedAt", startedAt.toString());

        String distribution = root.oneOf("distribution", choices(BootstrapParameter.DISTRIBUTION))
                .orElse(InputSchema.defaultString("/properties/distribution"));
        String architecture = root.oneOf("architecture", choices(BootstrapParameter.ARCHITECTURE))
                .orElse(InputSchema.defaultString("/properties/architecture"));
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
        root.rejectUnknown();
        if (!problems.isEmpty()) {
            throw failure();
        }
        return config;
    }

    private Map<String, Object> stage3(Obj in, String distribution, String architecture) {
        Optional<String> url = in.string("url", InputRules::httpsUrl);
        Optional<String> baseUrl = in.string("baseUrl", InputRules::httpsUrl).map(u -> u.replaceAll("/+$", ""));
        Optional<String> release = in.matching("release", InputRules.RELEASE,
                "must be 1–64 letters, digits, . _ - (e.g. next, 1.4-release-std, latest)");
        Optional<String> subarch = in.matching("subarch", InputRules.SUBARCH,
                "must be 1–64 letters, digits, . _ + - (e.g. generic_64, amd64-openrc)");
        Map<String, Object> out = new LinkedHashMap<>();
        if (url.isPresent() && (baseUrl.isPresent() || release.isPresent() || subarch.isPresent())) {
            problem("stage3.url", "excludes stage3.baseUrl, stage3.release and stage3.subarch (give one or the other)");
        }
        out.put("url", url.orElse(null));
        boolean derived = url.isEmpty();
        out.put("baseUrl", derived ? baseUrl.orElse(Defaults.stage3BaseUrl(distribution)) : null);
        out.put("release", derived ? release.orElse(Defaults.stage3Release(distribution)) : null);
        out.put("subarch", derived ? subarch.orElse(Defaults.stage3Subarch(distribution, architecture)) : null);
        out.put("sha256", in.matching("sha256", InputRules.SHA256, "must be 64 hexadecimal characters")
                .map(s -> s.toLowerCase(java.util.Locale.ROOT)).orElse(null));
        boolean verifySignature = in.bool("verifySignature")
                .orElse(InputSchema.defaultBoolean("/properties/stage3/properties/verifySignature"));
        if (!verifySignature && out.get("sha256") == null && in.map.get("sha256") == null) {
            problem("stage3.verifySignature", "may be false only together with stage3.sha256: a stage3 must be"
                    + " verified by its signature or by a pinned digest (give stage3.sha256, or leave"
                    + " stage3.verifySignature true)");
        }
        out.put("verifySignature", verifySignature);
        in.rejectUnknown();
        return out;
    }

    private Map<String, Object> image(Obj in, String distribution, String architecture, Map<String, Object> stage3,
                                      Instant startedAt) {
        Map<String, Object> out = new LinkedHashMap<>();
        String release = stage3.get("url") == null ? String.valueOf(stage3.get("release")) : "custom";
        String template = in.string("name", s -> Optional.empty())
                .orElse(distribution + "-" + release + "-" + architecture + "-{timestamp}");
        out.put("name", imageName(template, startedAt));
        out.put("family", distribution + "/" + architecture + "/" + template);
        out.put("description", in.string("description", InputValidator::description)
                .orElse(Defaults.description(distribution, release, architecture)));
        out.put("volumeSizeGiB", in.whole("volumeSizeGiB", "/properties/image/properties/volumeSizeGiB")
                .orElse(InputSchema.defaultWhole("/properties/image/properties/volumeSizeGiB")));
        String bootMode = in.oneOf("bootMode", choices(BootstrapParameter.BOOT_MODE))
                .orElse(Defaults.bootMode(architecture));
        if (architecture.equals("arm64") && !bootMode.equals("uefi")) {
            problem("image.bootMode", "must be uefi for an arm64 build (arm64 instances boot only with UEFI)", bootMode);
        }
        out.put("bootMode", bootMode);
        boolean encrypted = in.bool("encrypted")
                .orElse(InputSchema.defaultBoolean("/properties/image/properties/encrypted"));
        Optional<String> kmsKeyId = in.matching("kmsKeyId", InputRules.KMS_KEY,
                "must be a KMS key id, key ARN, alias/name or alias ARN");
        if (kmsKeyId.isPresent() && !encrypted) {
            problem("image.kmsKeyId", "needs image.encrypted: true");
        }
        out.put("encrypted", encrypted);
        out.put("kmsKeyId", kmsKeyId.orElse(null));
        out.put("tags", tags(in));
        in.rejectUnknown();
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

    private static Optional<String> description(String d) {
        int max = InputSchema.limit("/properties/image/properties/description", "maxLength");
        if (d.length() > max) {
            return Optional.of("must be at most " + max + " characters");
        }
        if (d.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("must not contain control characters");
        }
        return Optional.empty();
    }

    private Map<String, String> tags(Obj image) {
        Map<String, String> out = new LinkedHashMap<>();
        Obj tags = image.obj("tags");
        int max = InputSchema.limit("/properties/image/properties/tags", "maxProperties");
        if (tags.map.size() > max) {
            problem("image.tags", "may hold at most " + max + " tags (got " + tags.map.size() + ")");
            return out;
        }
        tags.map.forEach((key, value) -> {
            String path = "image.tags[\"" + shorten(key) + "\"]";
            InputRules.tagKey(key).ifPresent(p -> problem(path, p));
            if (!(value instanceof String s)) {
                problem(path, "value must be a string (got " + typeOf(value) + ")");
                return;
            }
            InputRules.tagValue(s).ifPresent(p -> problem(path, p));
            out.put(key, s);
        });
        return out;
    }

    private Map<String, Object> network(Obj in) {
        Optional<String> subnet = in.matching("subnetId", InputRules.SUBNET_ID,
                "must be a subnet id (subnet- and 8 or 17 hex digits)");
        Optional<String> group = in.matching("securityGroupId", InputRules.SECURITY_GROUP_ID,
                "must be a security group id (sg- and 8 or 17 hex digits)");
        boolean subnetGiven = in.map.get("subnetId") != null;
        boolean groupGiven = in.map.get("securityGroupId") != null;
        if (subnetGiven != groupGiven) {
            problem(subnetGiven ? "network.securityGroupId" : "network.subnetId",
                    "must be given together with network." + (subnetGiven ? "subnetId" : "securityGroupId")
                            + " (give both to use an existing network, neither for a temporary VPC)");
        }
        in.rejectUnknown();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("temporary", !subnetGiven && !groupGiven);
        out.put("subnetId", subnet.orElse(null));
        out.put("securityGroupId", group.orElse(null));
        return out;
    }

    private Map<String, Object> helper(Obj in, String architecture) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instanceType", instanceType(in).orElse(Defaults.helperInstanceType(architecture)));
        out.put("imageId", in.matching("imageId", InputRules.IMAGE_ID, "must be an AMI id (ami- and 8 or 17 hex digits)")
                .orElse(null));
        out.put("spot", in.bool("spot").orElse(InputSchema.defaultBoolean("/properties/helper/properties/spot")));
        in.rejectUnknown();
        return out;
    }

    private Optional<String> instanceType(Obj in) {
        return in.matching("instanceType", InputRules.INSTANCE_TYPE, "must be an EC2 instance type like t3.small");
    }

    private Map<String, Object> bootstrap(Obj in, String distribution) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hostname", in.string("hostname", InputRules::hostname)
                .map(h -> h.toLowerCase(java.util.Locale.ROOT)).orElse(distribution));
        // none given: the stack's bootstrapTimeoutMinutes (the bootstrap document's default) applies
        out.put("timeoutMinutes", in.whole("timeoutMinutes", "/properties/bootstrap/properties/timeoutMinutes")
                .orElse(null));
        List<String> atoms = new ArrayList<>();
        int maxAtoms = InputSchema.limit("/properties/bootstrap/properties/extraPackages", "maxItems");
        in.strings("extraPackages", maxAtoms).ifPresent(list -> {
            for (int i = 0; i < list.size(); i++) {
                String atom = list.get(i);
                int index = i;
                InputRules.atom(atom).ifPresentOrElse(
                        p -> problem("bootstrap.extraPackages[" + index + "]", p, atom), () -> atoms.add(atom));
            }
        });
        out.put("extraPackages", atoms);
        in.rejectUnknown();
        return out;
    }

    private Map<String, Object> smokeTest(Obj in, String architecture) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", in.bool("enabled")
                .orElse(InputSchema.defaultBoolean("/properties/smokeTest/properties/enabled")));
        out.put("instanceType", instanceType(in).orElse(Defaults.smokeTestInstanceType(architecture)));
        in.rejectUnknown();
        return out;
    }

    private Map<String, Object> publish(Obj in, String distribution, String architecture, Map<String, Object> image,
                                        String region) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ssmParameterName", in.string("ssmParameterName", InputRules::ssmParameterName)
                .orElse(Defaults.ssmParameterName(distribution, architecture)));
        List<String> accounts = in.strings("launchPermissionAccountIds",
                InputSchema.limit("/properties/publish/properties/launchPermissionAccountIds", "maxItems"))
                .orElse(List.of());
        for (int i = 0; i < accounts.size(); i++) {
            if (!InputRules.ACCOUNT_ID.matcher(accounts.get(i)).matches()) {
                problem("publish.launchPermissionAccountIds[" + i + "]", "must be a 12-digit AWS account id",
                        accounts.get(i));
            }
        }
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
        List<String> regions = in.strings("copyToRegions",
                InputSchema.limit("/properties/publish/properties/copyToRegions", "maxItems")).orElse(List.of());
        for (int i = 0; i < regions.size(); i++) {
            String r = regions.get(i);
            if (!InputRules.REGION.matcher(r).matches()) {
                problem("publish.copyToRegions[" + i + "]", "must be a region name like eu-west-1", r);
            } else if (r.equals(region)) {
                problem("publish.copyToRegions[" + i + "]", "is the build's own region", r);
            } else if (regions.indexOf(r) != i) {
                problem("publish.copyToRegions[" + i + "]", "is listed twice", r);
            }
        }
        out.put("launchPermissionAccountIds", List.copyOf(new LinkedHashSet<>(accounts)));
        out.put("public", isPublic);
        out.put("copyToRegions", regions);
        out.put("keepLatest", in.whole("keepLatest", "/properties/publish/properties/keepLatest").orElse(null));
        Optional<Long> deprecateAfterDays = in.whole("deprecateAfterDays", "/properties/publish/properties/deprecateAfterDays");
        // EC2 deprecates a public AMI at most two years ahead ("If the AMI is public, the deprecation date can't
        // be more than 2 years in the future": https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-deprecate.html)
        if (isPublic && deprecateAfterDays.isPresent() && deprecateAfterDays.get() > MAX_PUBLIC_DEPRECATION_DAYS) {
            problem("publish.deprecateAfterDays", "must be at most " + MAX_PUBLIC_DEPRECATION_DAYS
                    + " with publish.public: true (EC2 deprecates public AMIs at most 2 years ahead)",
                    deprecateAfterDays.get());
        }
        out.put("deprecateAfterDays", deprecateAfterDays.orElse(null));
        in.rejectUnknown();
        return out;
    }

    /** Two years: the furthest EC2 lets a public AMI's deprecation lie ahead. */
    static final long MAX_PUBLIC_DEPRECATION_DAYS = 730;

    /** The values an enumerated bootstrap parameter allows ({@code funtoo|gentoo}), in its declared order. */
    private static List<String> choices(BootstrapParameter parameter) {
        return List.of(parameter.valuePattern().split("\\|"));
    }

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
        return value instanceof String s ? "\"" + shorten(s) + "\"" : shorten(String.valueOf(value));
    }

    /** Echoes at most 60 characters of a bad value: enough to recognise it, not enough to flood the message. */
    private static String shorten(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 57) + "...";
    }

    private static String typeOf(Object v) {
        if (v instanceof String) {
            return "a string";
        } else if (v instanceof Number) {
            return "a number";
        } else if (v instanceof Boolean) {
            return v.toString();
        } else if (v instanceof List) {
            return "a list";
        } else if (v instanceof Map) {
            return "an object";
        }
        return "null";
    }

    /** One input object: typed reads that record problems, and a record of which keys were read. */
    private final class Obj {
        private final String path;
        private final Map<String, Object> map;
        private final Set<String> known = new LinkedHashSet<>();

        @SuppressWarnings("unchecked")
        Obj(String path, Object value) {
            this.path = path;
            if (value == null) {
                this.map = Map.of();
            } else if (value instanceof Map<?, ?> m) {
                this.map = (Map<String, Object>) m;
            } else {
                problem(path.isEmpty() ? "input" : path, "must be a JSON object (got " + typeOf(value) + ")");
                this.map = Map.of();
            }
        }

        Obj obj(String key) {
            known.add(key);
            return new Obj(at(key), map.get(key));
        }

        private Optional<Object> read(String key) {
            known.add(key);
            return Optional.ofNullable(map.get(key));
        }

        Optional<String> string(String key, Function<String, Optional<String>> rule) {
            Optional<Object> raw = read(key);
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            if (!(raw.get() instanceof String s)) {
                problem(at(key), "must be a string (got " + typeOf(raw.get()) + ")");
                return Optional.empty();
            }
            Optional<String> bad = rule.apply(s);
            bad.ifPresent(p -> problem(at(key), p, s));
            return bad.isPresent() ? Optional.empty() : Optional.of(s);
        }

        Optional<String> matching(String key, Pattern pattern, String what) {
            return string(key, s -> pattern.matcher(s).matches() ? Optional.empty() : Optional.of(what));
        }

        Optional<String> oneOf(String key, List<String> allowed) {
            return string(key, s -> allowed.contains(s) ? Optional.empty()
                    : Optional.of("must be one of " + String.join(", ", allowed)));
        }

        Optional<Boolean> bool(String key) {
            Optional<Object> raw = read(key);
            if (raw.isPresent() && !(raw.get() instanceof Boolean)) {
                problem(at(key), "must be true or false (got " + typeOf(raw.get()) + ")");
                return Optional.empty();
            }
            return raw.map(Boolean.class::cast);
        }

        /** A whole number within the minimum and maximum the schema declares at {@code pointer}. */
        Optional<Long> whole(String key, String pointer) {
            return whole(key, InputSchema.limit(pointer, "minimum"), InputSchema.limit(pointer, "maximum"));
        }

        Optional<Long> whole(String key, long min, long max) {
            Optional<Object> raw = read(key);
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            String allowed = "must be a whole number from " + min + " to " + max;
            Optional<BigInteger> n = wholeNumber(raw.get());
            if (n.isEmpty()) {
                problem(at(key), allowed + " (got " + typeOf(raw.get())
                        + (raw.get() instanceof Number ? " " + raw.get() : "") + ")");
                return Optional.empty();
            }
            if (n.get().compareTo(BigInteger.valueOf(min)) < 0 || n.get().compareTo(BigInteger.valueOf(max)) > 0) {
                problem(at(key), allowed, n.get());
                return Optional.empty();
            }
            return Optional.of(n.get().longValue());
        }

        Optional<List<String>> strings(String key, int maxItems) {
            Optional<Object> raw = read(key);
            if (raw.isEmpty()) {
                return Optional.empty();
            }
            if (!(raw.get() instanceof List<?> list)) {
                problem(at(key), "must be a list of strings (got " + typeOf(raw.get()) + ")");
                return Optional.empty();
            }
            if (list.size() > maxItems) {
                problem(at(key), "may hold at most " + maxItems + " entries (got " + list.size() + ")");
                return Optional.empty();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof String s) {
                    out.add(s);
                } else {
                    problem(at(key) + "[" + i + "]", "must be a string (got " + typeOf(list.get(i)) + ")");
                }
            }
            return out.size() == list.size() ? Optional.of(out) : Optional.empty();
        }

        void rejectUnknown() {
            for (String key : map.keySet()) {
                if (!known.contains(key)) {
                    problem(at(shorten(key)), "is not a known field (allowed here: " + String.join(", ", known) + ")");
                }
            }
        }

        private String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }
    }

    private static Optional<BigInteger> wholeNumber(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return Optional.of(BigInteger.valueOf(((Number) v).longValue()));
        }
        if (v instanceof BigInteger b) {
            return Optional.of(b);
        }
        if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
            return Optional.empty();
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            BigDecimal d = new BigDecimal(v.toString());
            try {
                return Optional.of(d.toBigIntegerExact());
            } catch (ArithmeticException notWhole) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
