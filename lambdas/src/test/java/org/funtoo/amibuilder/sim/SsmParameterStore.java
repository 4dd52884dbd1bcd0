package org.funtoo.amibuilder.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * Parameter Store of one region: the account's parameters with AWS's naming, overwrite, tagging and size rules,
 * plus the public {@code /aws/service/...} parameters every region has.
 */
final class SsmParameterStore {
    static final String AL2023_PATH = "/aws/service/ami-amazon-linux-latest/";
    private static final Pattern NAME_CHARS = Pattern.compile("[a-zA-Z0-9_.\\-/]+");
    private static final String NAME_RULES = "Parameter name: can't be prefixed with \"aws\" or \"ssm\" "
            + "(case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; "
            + "each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";
    private static final int MAX_NAME_LENGTH = 1011;
    private static final int MAX_LEVELS = 15;
    private static final int MAX_TAGS = 50;
    /** Version of the public parameters: they have been rewritten at every AL2023 release. */
    private static final long PUBLIC_VERSION = 108;

    /** One parameter; public ones belong to AWS (no account in their ARN, not listed by DescribeParameters). */
    static final class Stored {
        final String name;
        final boolean isPublic;
        ParameterType type;
        String value;
        String description;
        String dataType;
        String allowedPattern;
        ParameterTier tier;
        long version;
        Instant lastModified;
        final Map<String, String> tags = new LinkedHashMap<>();

        Stored(String name, boolean isPublic) {
            this.name = name;
            this.isPublic = isPublic;
        }

        Map<String, String> tags() {
            return Map.copyOf(tags);
        }
    }

    private final String region;
    private final Map<String, Stored> parameters = new TreeMap<>();

    SsmParameterStore(String region, Instant publishedAt) {
        this.region = region;
        for (String kernel : List.of("al2023-ami-kernel-default", "al2023-ami-kernel-6.1")) {
            addPublic(AL2023_PATH + kernel + "-x86_64", SimAws.AL2023_X86_64_IMAGE_ID, publishedAt);
            addPublic(AL2023_PATH + kernel + "-arm64", SimAws.AL2023_ARM64_IMAGE_ID, publishedAt);
        }
    }

    private void addPublic(String name, String value, Instant at) {
        Stored p = new Stored(name, true);
        p.type = ParameterType.STRING;
        p.value = value;
        p.dataType = "text";
        p.tier = ParameterTier.STANDARD;
        p.version = PUBLIC_VERSION;
        p.lastModified = at;
        parameters.put(name, p);
    }

    /** {@code arn:aws:ssm:REGION:ACCOUNT:parameter/NAME}, the name's leading slash not doubled. */
    String arn(String name) {
        String account = name.startsWith("/aws/") ? "" : SimAws.ACCOUNT_ID;
        return "arn:aws:ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? "" : "/") + name;
    }

    Optional<Stored> find(String name) {
        return Optional.ofNullable(name == null ? null : parameters.get(name));
    }

    Stored get(String name) {
        return find(name).orElseThrow(() -> new ServiceRejection("ParameterNotFound",
                "Parameter " + name + " not found."));
    }

    /** The account's own parameters, by name. */
    List<Stored> owned() {
        return parameters.values().stream().filter(p -> !p.isPublic).toList();
    }

    /** Parameters under {@code path} (one level, or every level when recursive), public ones included. */
    List<Stored> underPath(String path, boolean recursive) {
        if (path == null || !path.startsWith("/")) {
            throw new ServiceRejection("ValidationException", "The parameter path must start with /.");
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        return parameters.values().stream()
                .filter(p -> p.name.startsWith(prefix))
                .filter(p -> recursive || !p.name.substring(prefix.length()).contains("/"))
                .toList();
    }

    /** The Stored parameter after PutParameter (created, or overwritten with its version incremented). */
    Stored put(PutParameterRequest r, Instant now) {
        validateName(r.name());
        Stored existing = parameters.get(r.name());
        if (r.value() == null || r.value().isEmpty()) {
            throw new ServiceRejection("ValidationException", "1 validation error detected: Value at 'value' "
                    + "failed to satisfy constraint: Member must have length greater than or equal to 1");
        }
        boolean overwrite = Boolean.TRUE.equals(r.overwrite());
        if (overwrite && r.hasTags()) {
            throw new ServiceRejection("ValidationException", "Invalid request: tags and overwrite can't be used "
                    + "together. To create a parameter with tags, please remove overwrite flag. To update tags for "
                    + "an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        }
        if (existing != null && !overwrite) {
            throw new ServiceRejection("ParameterAlreadyExists", "The parameter already exists. To overwrite this "
                    + "value, set the overwrite option in the request to true.");
        }
        if (existing == null && r.type() == null) {
            throw new ServiceRejection("ValidationException",
                    "A parameter type is required when you create a parameter.");
        }
        if (r.type() == ParameterType.UNKNOWN_TO_SDK_VERSION) {
            throw new ServiceRejection("UnsupportedParameterType", "Unsupported parameter type " + r.typeAsString());
        }
        ParameterTier tier = r.tier() != null ? r.tier() : existing != null ? existing.tier : ParameterTier.STANDARD;
        int limit = tier == ParameterTier.ADVANCED ? 8192 : 4096;
        if (r.value().length() > limit) {
            throw new ServiceRejection("ValidationException", "1 validation error detected: Value at 'value' "
                    + "failed to satisfy constraint: Member must have length less than or equal to " + limit);
        }
        String allowedPattern = r.allowedPattern() != null ? r.allowedPattern()
                : existing != null ? existing.allowedPattern : null;
        if (allowedPattern != null && !Pattern.compile(allowedPattern).matcher(r.value()).matches()) {
            throw new ServiceRejection("ParameterPatternMismatchException", "Parameter value, " + r.value()
                    + ", failed to satisfy constraint specified in allowed pattern: " + allowedPattern);
        }
        String dataType = r.dataType() != null ? r.dataType() : existing != null ? existing.dataType : "text";
        validateDataType(dataType, r.value());
        Map<String, String> tags = new LinkedHashMap<>();
        r.tags().forEach(t -> tags.put(t.key(), t.value()));
        if (tags.size() > MAX_TAGS) {
            throw new ServiceRejection("TooManyTagsError", "A parameter can have at most " + MAX_TAGS + " tags.");
        }

        Stored p = existing != null ? existing : new Stored(r.name(), false);
        p.type = r.type() != null ? r.type() : existing.type;
        p.value = r.value();
        p.description = r.description() != null ? r.description() : existing != null ? existing.description : null;
        p.dataType = dataType;
        p.allowedPattern = allowedPattern;
        p.tier = tier;
        p.version = existing != null ? existing.version + 1 : 1;
        p.lastModified = now;
        p.tags.putAll(tags);
        parameters.put(p.name, p);
        return p;
    }

    void delete(String name) {
        Stored p = get(name);
        if (p.isPublic) {
            throw new ServiceRejection("AccessDeniedException", "No access to reserved parameter name: " + name + ".");
        }
        parameters.remove(name);
    }

    void addTags(Stored p, Map<String, String> tags) {
        Map<String, String> merged = new LinkedHashMap<>(p.tags);
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS) {
            throw new ServiceRejection("TooManyTagsError", "A parameter can have at most " + MAX_TAGS + " tags.");
        }
        p.tags.putAll(tags);
    }

    Parameter toParameter(Stored p, boolean withDecryption) {
        String value = p.type == ParameterType.SECURE_STRING && !withDecryption
                ? Base64.getEncoder().encodeToString(("kms:" + p.value).getBytes(StandardCharsets.UTF_8))
                : p.value;
        return Parameter.builder().name(p.name).type(p.type).value(value).version(p.version)
                .lastModifiedDate(p.lastModified).arn(arn(p.name)).dataType(p.dataType).build();
    }

    ParameterMetadata toMetadata(Stored p) {
        return ParameterMetadata.builder().name(p.name).arn(arn(p.name)).type(p.type).version(p.version)
                .lastModifiedDate(p.lastModified).description(p.description).allowedPattern(p.allowedPattern)
                .tier(p.tier).dataType(p.dataType)
                .lastModifiedUser("arn:aws:iam::" + SimAws.ACCOUNT_ID + ":user/sim").build();
    }

    /** AWS's naming rules; AWS's own namespace is refused as access, not as a malformed name. */
    static void validateName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new ServiceRejection("ValidationException", "Parameter name must be 1 to " + MAX_NAME_LENGTH
                    + " characters long.");
        }
        if (name.startsWith("/aws/")) {
            throw new ServiceRejection("AccessDeniedException", "No access to reserved parameter name: " + name + ".");
        }
        if (name.contains("/") && !name.startsWith("/")) {
            throw new ServiceRejection("ValidationException", "Parameter name must be a fully qualified name.");
        }
        String relative = name.startsWith("/") ? name.substring(1) : name;
        String lower = relative.toLowerCase();
        if (!NAME_CHARS.matcher(name).matches() || lower.startsWith("aws") || lower.startsWith("ssm")
                || relative.isEmpty() || relative.endsWith("/") || relative.contains("//")) {
            throw new ServiceRejection("ValidationException", NAME_RULES);
        }
        if (relative.split("/").length > MAX_LEVELS) {
            throw new ServiceRejection("HierarchyLevelLimitExceededException", "Parameter name " + name
                    + " exceeds the hierarchy limit of " + MAX_LEVELS + " levels.");
        }
    }

    private static void validateDataType(String dataType, String value) {
        switch (dataType) {
            case "text", "aws:ssm:integration" -> {
            }
            case "aws:ec2:image" -> {
                if (!value.matches("ami-[0-9a-f]{8}([0-9a-f]{9})?")) {
                    throw new ServiceRejection("ValidationException", "Parameter value must be an AMI ID in the "
                            + "format ami-12345abcdeEXAMPLE for the aws:ec2:image data type.");
                }
            }
            default -> throw new ServiceRejection("ValidationException", "The following data type is not "
                    + "supported: " + dataType + " (Data type names are all lowercase.)");
        }
    }

    /** Parameters passing DescribeParameters' ParameterFilters (Name, Path, Type, DataType, tag:KEY). */
    static boolean matches(Stored p, String key, String option, List<String> values) {
        List<String> wanted = new ArrayList<>(values);
        switch (key) {
            case "Name" -> {
                String opt = option == null ? "Equals" : option;
                return switch (opt) {
                    case "Equals" -> wanted.contains(p.name);
                    case "BeginsWith" -> wanted.stream().anyMatch(p.name::startsWith);
                    case "Contains" -> wanted.stream().anyMatch(p.name::contains);
                    default -> throw badOption(key, opt);
                };
            }
            case "Path" -> {
                String opt = option == null ? "OneLevel" : option;
                if (!opt.equals("OneLevel") && !opt.equals("Recursive")) {
                    throw badOption(key, opt);
                }
                return wanted.stream().anyMatch(path -> {
                    String prefix = path.endsWith("/") ? path : path + "/";
                    return p.name.startsWith(prefix)
                            && (opt.equals("Recursive") || !p.name.substring(prefix.length()).contains("/"));
                });
            }
            case "Type" -> {
                return wanted.contains(p.type.toString());
            }
            case "DataType" -> {
                return wanted.contains(p.dataType);
            }
            default -> {
                if (!key.startsWith("tag:") || key.length() == 4) {
                    throw new ServiceRejection("InvalidFilterKey", "The filter key " + key + " is not valid.");
                }
                String tagKey = key.substring(4);
                return p.tags.containsKey(tagKey) && (wanted.isEmpty() || wanted.contains(p.tags.get(tagKey)));
            }
        }
    }

    private static ServiceRejection badOption(String key, String option) {
        return new ServiceRejection("InvalidFilterOption", "The filter option " + option
                + " is not valid for key " + key + ".");
    }
}
