package org.funtoo.amibuilder.lambdas.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The bootstrap's parameters, declared once: the SSM document's parameter name, the value each may take (read
 * from the execution input's schema, {@code schema/build-input.schema.json}, where the same field is declared:
 * the document's {@code allowedPattern}, the input rule and bootstrap.sh's check of the same option all come from
 * there), what it means, which {@code bootstrap.sh} option it becomes, and where in {@code config} its value
 * comes from.
 *
 * <p>Derived from here: the stack's SSM document (cdk {@code BootstrapDocument}), the parameter map
 * {@code SendBootstrapCommandHandler} sends, the patterns of {@link InputRules} for the same fields, the test
 * fixtures' documents, and {@code bootstrap-scripts/lib/parameters.sh} (written by {@link #main}; a test fails
 * when the file in the repository differs), which {@code ssm-entry.sh} and {@code bootstrap.sh} read.
 *
 * <p>Every pattern is a regular expression that JSON Schema (ECMA-262), java.util.regex, SSM's allowedPattern and
 * bash's {@code [[ =~ ]]} read alike: no shorthand classes, no lazy or named groups, no look-around.
 */
public enum BootstrapParameter {
    VOLUME_ID("volumeId", "/$defs/ebsVolumeId", false, "--volume-id",
            "EBS volume id of the target disk, found by its NVMe serial (vol-0123..., or vol0123... as the serial"
                    + " spells it)", (c, volumeId) -> volumeId),
    DISTRIBUTION("distribution", "/properties/distribution", false, "--distribution", "funtoo or gentoo",
            (c, v) -> c.distribution()),
    ARCHITECTURE("architecture", "/properties/architecture", false, "--arch", "x86_64 or arm64",
            (c, v) -> c.architecture()),
    STAGE3_URL("stage3Url", "/properties/stage3/properties/url", false, "--stage3-url",
            "the stage3 tarball, https only", (c, v) -> c.stage3Url().orElse("")),
    STAGE3_BASE_URL("stage3BaseUrl", "/properties/stage3/properties/baseUrl", false, "--stage3-base-url",
            "mirror base the stage3 is looked up under (the distribution's tree below it), https only",
            (c, v) -> c.stage3BaseUrl().orElse("")),
    STAGE3_RELEASE("stage3Release", "/properties/stage3/properties/release", false, "--release",
            "release name, e.g. next, or a Gentoo autobuild timestamp; latest: the newest",
            (c, v) -> c.stage3Release().orElse("")),
    STAGE3_SUBARCH("stage3Subarch", "/properties/stage3/properties/subarch", false, "--subarch",
            "subarchitecture or stage flavour, e.g. intel64-haswell, amd64-openrc",
            (c, v) -> c.stage3Subarch().orElse("")),
    STAGE3_SHA256("stage3Sha256", "/properties/stage3/properties/sha256", false, "--stage3-sha256",
            "expected sha256 of the stage3", (c, v) -> c.stage3Sha256().orElse("")),
    VERIFY_SIGNATURE("verifySignature", "/properties/stage3/properties/verifySignature", false,
            "--verify-signature", "check the stage3's GPG signature against the pinned keys (default true)",
            (c, v) -> Boolean.toString(c.verifySignature())),
    HOSTNAME("hostname", "/properties/bootstrap/properties/hostname", false, "--hostname", "host name of the image",
            (c, v) -> c.hostname()),
    BOOT_MODE("bootMode", "/properties/image/properties/bootMode", false, "--boot-mode",
            "EC2 boot mode of the image", (c, v) -> c.bootMode()),
    EXTRA_PACKAGES("extraPackages", "/properties/bootstrap/properties/extraPackages/items", true, "--extra-packages",
            "package atoms to install, separated by single spaces",
            (c, v) -> String.join(" ", c.extraPackages())),
    BUILD_ID("buildId", "/$defs/executionName", false, null,
            "the build (execution name); identifies the command, recorded in /etc/ami-build-info",
            (c, v) -> c.buildId());

    /**
     * The document's one parameter that is not the script's: SSM reads it as the run step's timeoutSeconds
     * (seconds bootstrap.sh may run); its default is the stack's limit.
     */
    public static final String EXECUTION_TIMEOUT = "executionTimeout";
    /** executionTimeout's allowed values: 100 to 99999 seconds. */
    public static final String EXECUTION_TIMEOUT_PATTERN = "^[1-9][0-9]{2,4}$";

    private final String parameterName;
    private final String value;
    private final boolean spaceSeparatedList;
    private final String option;
    private final String description;
    private final BiFunction<BuildConfig, String, String> fromConfig;
    private final Pattern compiled;

    /**
     * @param declaration where the execution input's schema declares the value: a pattern, an enum (its values
     *                    become alternatives) or a boolean ({@code true|false}, as SSM parameters are strings)
     */
    BootstrapParameter(String parameterName, String declaration, boolean spaceSeparatedList, String option,
                       String description, BiFunction<BuildConfig, String, String> fromConfig) {
        this.parameterName = parameterName;
        this.value = valueFrom(declaration);
        this.spaceSeparatedList = spaceSeparatedList;
        this.option = option;
        this.description = description;
        this.fromConfig = fromConfig;
        this.compiled = Pattern.compile(value);
    }

    private static String valueFrom(String pointer) {
        var node = InputSchema.at(pointer);
        if (node.containsKey("enum")) {
            return String.join("|", InputSchema.choices(pointer));
        }
        if ("boolean".equals(node.get("type"))) {
            return "true|false";
        }
        return InputSchema.pattern(pointer);
    }

    /** The SSM document's parameter name; {@code SSM_<name>} is its environment variable in the run step. */
    public String parameterName() {
        return parameterName;
    }

    /** One value (one atom of a list), unanchored. */
    public String valuePattern() {
        return value;
    }

    /** One value (one atom of a list) as a compiled pattern; use {@code matcher(..).matches()}. */
    public Pattern valueRegex() {
        return compiled;
    }

    /** The option of bootstrap.sh it becomes, or null when it is not passed to bootstrap.sh. */
    public String option() {
        return option;
    }

    public String description() {
        return description;
    }

    /**
     * The anchored pattern of the parameter as sent: {@code ""} means "not given" (bootstrap.sh's default); a
     * list is values separated by single spaces.
     */
    public String allowedPattern() {
        String one = "(" + value + ")";
        return "^(" + (spaceSeparatedList ? one + "( " + one + ")*" : one) + ")?$";
    }

    /** The parameters SendBootstrapCommand sends for this build, in declaration order, all strings. */
    public static Map<String, List<String>> parameters(BuildConfig config, String volumeId) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        for (BootstrapParameter parameter : values()) {
            p.put(parameter.parameterName, List.of(parameter.fromConfig.apply(config, volumeId)));
        }
        return p;
    }

    /**
     * The document's parameter definitions (schema 2.2), each a String whose default {@code ""} means "not given",
     * passed to the run step only as the environment variable {@code SSM_<name>}.
     */
    public static Map<String, Object> documentParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (BootstrapParameter parameter : values()) {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("type", "String");
            definition.put("description", parameter.description);
            definition.put("default", "");
            definition.put("allowedPattern", parameter.allowedPattern());
            definition.put("interpolationType", "ENV_VAR");
            parameters.put(parameter.parameterName, definition);
        }
        return parameters;
    }

    /** The text of {@code bootstrap-scripts/lib/parameters.sh}. */
    public static String shellDeclaration() {
        List<String> lines = new ArrayList<>(List.of(
                "# shellcheck shell=bash",
                "# GENERATED from lambdas/src/main/java/org/funtoo/amibuilder/lambdas/core/BootstrapParameter.java:"
                        + " do not edit.",
                "# Regenerate: mvn -B -q -pl lambdas compile exec:java"
                        + " -Dexec.mainClass=org.funtoo.amibuilder.lambdas.core.BootstrapParameter",
                "# (BootstrapParameterFilesTest fails while this file differs from what the declaration generates.)",
                "#",
                "# The SSM document's parameters: SSM_PARAMETER_OPTION maps a parameter to the bootstrap.sh option it",
                "# becomes; OPTION_PATTERN is the anchored extended regex every value of that option must match",
                "# (the document's allowedPattern, and the input rule of the same field).",
                "",
                "declare -gA SSM_PARAMETER_OPTION=("));
        for (BootstrapParameter p : values()) {
            if (p.option != null) {
                lines.add("  [" + p.parameterName + "]=" + p.option);
            }
        }
        lines.add(")");
        lines.add("");
        lines.add("declare -gA OPTION_PATTERN=(");
        for (BootstrapParameter p : values()) {
            if (p.option != null) {
                lines.add("  [" + p.option + "]='" + p.allowedPattern() + "'");
            }
        }
        lines.add(")");
        lines.addAll(List.of(
                "",
                "# The SSM parameters that become options, one a line, sorted.",
                "ssm_parameter_names() {",
                "  printf '%s\\n' \"${!SSM_PARAMETER_OPTION[@]}\" | LC_ALL=C sort",
                "}",
                "",
                "# The bootstrap.sh option SSM parameter $1 becomes.",
                "ssm_parameter_option() {",
                "  printf '%s\\n' \"${SSM_PARAMETER_OPTION[$1]:?no bootstrap.sh option for $1}\"",
                "}",
                "",
                "# True when $2 is a value option $1 allows.",
                "declared_value() {",
                "  [[ $2 =~ ${OPTION_PATTERN[$1]:?no declared pattern for $1} ]]",
                "}"));
        return String.join("\n", lines) + "\n";
    }

    /** Writes {@code bootstrap-scripts/lib/parameters.sh}; run from the repository root or a module directory. */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path root = java.nio.file.Path.of("").toAbsolutePath();
        while (root != null && !java.nio.file.Files.isDirectory(root.resolve("bootstrap-scripts"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("run inside the repository");
        }
        java.nio.file.Path file = root.resolve("bootstrap-scripts/lib/parameters.sh");
        java.nio.file.Files.writeString(file, shellDeclaration());
        System.out.println("wrote " + file);
    }
}
