package org.funtoo.amibuilder.lambdas.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The shape of the execution input, checked against schema/build-input.schema.json by a maintained JSON Schema
 * library (networknt json-schema-validator, draft 2020-12): types, allowed values, patterns, ranges, sizes and
 * unknown fields. Each of the library's errors becomes one problem in the first state's style,
 * {@code field.path: what is wrong (got X)}, worded from the failed keyword and the schema's own limits; a field
 * that breaks several keywords gets one problem. The rules across fields stay in {@link InputValidator}.
 */
final class InputShape {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = load();

    /**
     * What a value that misses a field's pattern should look like, by the pointer of the schema node whose
     * {@code pattern} it missed. Wording only: whether a value is valid is the schema's decision.
     */
    private static final Map<String, Function<String, String>> PATTERN_PROBLEMS = Map.ofEntries(
            Map.entry("/$defs/httpsUrl", InputShape::httpsUrlProblem),
            Map.entry("/properties/stage3/properties/release",
                    v -> "must be 1–64 letters, digits, . _ - (e.g. next, 1.4-release-std, latest)"),
            Map.entry("/properties/stage3/properties/subarch",
                    v -> "must be 1–64 letters, digits, . _ + - (e.g. generic_64, amd64-openrc)"),
            Map.entry("/properties/stage3/properties/sha256", v -> "must be 64 hexadecimal characters"),
            Map.entry("/properties/image/properties/kmsKeyId",
                    v -> "must be a KMS key id, key ARN, alias/name or alias ARN"),
            Map.entry("/properties/network/properties/subnetId",
                    v -> "must be a subnet id (subnet- and 8 or 17 hex digits)"),
            Map.entry("/properties/network/properties/securityGroupId",
                    v -> "must be a security group id (sg- and 8 or 17 hex digits)"),
            Map.entry("/properties/helper/properties/instanceType", v -> "must be an EC2 instance type like t3.small"),
            Map.entry("/properties/smokeTest/properties/instanceType",
                    v -> "must be an EC2 instance type like t3.small"),
            Map.entry("/properties/helper/properties/imageId", v -> "must be an AMI id (ami- and 8 or 17 hex digits)"),
            Map.entry("/properties/bootstrap/properties/hostname", v -> "must be an RFC 1123 host name:"
                    + " dot-separated labels of 1–63 letters, digits and inner hyphens"),
            Map.entry("/$defs/packageAtom", v -> "must be a package atom such as app-editors/vim,"
                    + " >=dev-lang/perl-5.38:0 or sys-kernel/gentoo-sources:6.6::gentoo (no spaces or shell"
                    + " metacharacters)"),
            Map.entry("/$defs/packageAtom/allOf/0/then",
                    v -> "has a version operator but no version (e.g. >=dev-lang/perl-5.38)"),
            Map.entry("/$defs/packageAtom/allOf/1/then", v -> "may end in * only after the = operator"),
            Map.entry("/properties/publish/properties/ssmParameterName", InputShape::ssmParameterNameProblem),
            Map.entry("/properties/publish/properties/launchPermissionAccountIds/items",
                    v -> "must be a 12-digit AWS account id"),
            Map.entry("/properties/publish/properties/copyToRegions/items",
                    v -> "must be a region name like eu-west-1"));

    private InputShape() {
    }

    private static Schema load() {
        try (InputStream in = InputShape.class.getResourceAsStream(InputSchema.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(InputSchema.RESOURCE + " is not on the class path");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One problem of the input's shape: where (a JSON pointer into the input) and the message. */
    record Problem(String pointer, String message) {
    }

    /** The shape's problems, at most one per offending field, in the order the schema met them. */
    static List<Problem> problems(Object input) {
        JsonNode node = JSON.valueToTree(input);
        Map<String, Problem> byField = new LinkedHashMap<>();
        for (Error error : SCHEMA.validate(node)) {
            NodePath at = error.getInstanceLocation();
            String property = error.getKeyword().equals("additionalProperties")
                    || error.getKeyword().equals("propertyNames") ? error.getProperty() : null;
            List<Object> elements = new ArrayList<>();
            for (int i = 0; i < at.getNameCount(); i++) {
                elements.add(at.getElement(i));
            }
            if (property != null) {
                elements.add(property);
            }
            String pointer = pointer(elements);
            byField.putIfAbsent(pointer, new Problem(pointer, fieldName(elements) + ": " + describe(error, node)));
        }
        return List.copyOf(byField.values());
    }

    private static String describe(Error error, JsonNode root) {
        String keyword = error.getKeyword();
        String location = error.getSchemaLocation().getFragment().toString();
        String schemaPointer = location.substring(0, location.lastIndexOf('/'));
        if (keyword.equals("propertyNames")) {
            String names = schemaPointer + "/propertyNames";
            return "key must be " + limit(names, "minLength") + "–" + limit(names, "maxLength") + " characters";
        }
        if (keyword.equals("additionalProperties")) {
            return "is not a known field (allowed here: "
                    + String.join(", ", InputSchema.at(schemaPointer + "/properties").keySet()) + ")";
        }
        JsonNode value = error.getInstanceNode();
        boolean tagValue = schemaPointer.endsWith("/tags/additionalProperties");
        String prefix = tagValue ? "value " : "";
        return prefix + switch (keyword) {
            case "type" -> typeProblem(schemaPointer, value);
            case "minimum", "maximum" -> wholeNumber(schemaPointer) + " (got " + value.asText() + ")";
            case "enum" -> "must be one of " + String.join(", ", InputSchema.choices(schemaPointer)) + got(value);
            case "pattern" -> PATTERN_PROBLEMS.getOrDefault(schemaPointer,
                    v -> "must match " + InputSchema.text(schemaPointer, "pattern"))
                    .apply(value.asText()) + got(value);
            case "maxLength" -> "must be at most " + limit(schemaPointer, keyword) + " characters";
            case "minLength" -> "must be at least " + limit(schemaPointer, keyword) + " characters";
            case "maxItems" -> "may hold at most " + limit(schemaPointer, keyword) + " entries (got " + value.size()
                    + ")";
            case "maxProperties" -> "may hold at most " + limit(schemaPointer, keyword)
                    + (schemaPointer.endsWith("/tags") ? " tags" : " entries") + " (got " + value.size() + ")";
            default -> error.getMessage();
        };
    }

    private static String typeProblem(String schemaPointer, JsonNode value) {
        String type = InputSchema.text(schemaPointer, "type");
        String got = " (got " + typeOf(value) + ")";
        return switch (type) {
            case "string" -> "must be a string" + got;
            case "boolean" -> "must be true or false" + got;
            case "object" -> "must be a JSON object" + got;
            case "array" -> "must be a list of strings" + got;
            case "integer" -> wholeNumber(schemaPointer) + " (got " + typeOf(value)
                    + (value.isNumber() ? " " + value.asText() : "") + ")";
            default -> "must be of type " + type + got;
        };
    }

    private static String wholeNumber(String schemaPointer) {
        return "must be a whole number from " + limit(schemaPointer, "minimum") + " to "
                + limit(schemaPointer, "maximum");
    }

    private static int limit(String schemaPointer, String keyword) {
        return InputSchema.limit(schemaPointer, keyword);
    }

    private static String httpsUrlProblem(String url) {
        if (url.regionMatches(true, 0, "http://", 0, 7)) {
            return "must use https://, not http://";
        }
        if (url.replaceFirst("^[A-Za-z]+://", "").split("/", 2)[0].contains("@")) {
            return "must not contain credentials (user@host)";
        }
        return "must be an https:// URL made of letters, digits and - . _ ~ + / only"
                + " (no credentials, query, fragment, spaces or shell metacharacters)";
    }

    private static String ssmParameterNameProblem(String name) {
        String prefix = InputRules.SSM_PARAMETER_PREFIX;
        if (name.matches("(/[A-Za-z0-9_.-]+){1,15}") && !name.startsWith(prefix)) {
            return "must be under " + prefix + " (the stack lets the builder write parameters there only)";
        }
        return "must be a path like " + prefix + "funtoo/amd64/latest: / followed by up to 15 levels of letters,"
                + " digits and _ . -, the first one funtoo-ami-builder";
    }

    /** {@code (got "value")} for a string, {@code (got 5)} for anything else. */
    private static String got(JsonNode value) {
        return " (got " + (value.isTextual() ? "\"" + shorten(value.asText()) + "\"" : shorten(value.toString()))
                + ")";
    }

    static String typeOf(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "null";
        } else if (v.isTextual()) {
            return "a string";
        } else if (v.isNumber()) {
            return "a number";
        } else if (v.isBoolean()) {
            return v.asText();
        } else if (v.isArray()) {
            return "a list";
        }
        return "an object";
    }

    /** Echoes at most 60 characters of a bad value: enough to recognise it, not enough to flood the message. */
    static String shorten(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 60 ? printable : printable.substring(0, 57) + "...";
    }

    private static String pointer(List<Object> elements) {
        StringBuilder p = new StringBuilder();
        for (Object e : elements) {
            p.append('/').append(String.valueOf(e).replace("~", "~0").replace("/", "~1"));
        }
        return p.toString();
    }

    /** {@code image.tags["team"]}, {@code bootstrap.extraPackages[0]}, {@code input} for the document itself. */
    private static String fieldName(List<Object> elements) {
        if (elements.isEmpty()) {
            return "input";
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < elements.size(); i++) {
            Object e = elements.get(i);
            if (e instanceof Integer index) {
                name.append('[').append(index).append(']');
            } else if (i == 2 && "image".equals(elements.get(0)) && "tags".equals(elements.get(1))) {
                name.append("[\"").append(shorten(String.valueOf(e))).append("\"]");
            } else {
                name.append(i == 0 ? "" : ".").append(shorten(String.valueOf(e)));
            }
        }
        return name.toString();
    }

    /** Whether a problem lies at {@code pointer} or inside it. */
    static boolean within(List<Problem> problems, String pointer) {
        return problems.stream().anyMatch(p -> p.pointer().equals(pointer) || p.pointer().startsWith(pointer + "/"));
    }

    static Optional<Problem> at(List<Problem> problems, String pointer) {
        return problems.stream().filter(p -> p.pointer().equals(pointer)).findFirst();
    }
}
