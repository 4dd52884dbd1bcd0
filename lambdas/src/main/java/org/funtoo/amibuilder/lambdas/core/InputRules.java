package org.funtoo.amibuilder.lambdas.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a single input value may look like. Each check returns the problem, phrased to follow the field's name in
 * the error message, or empty when the value is fine. The rules are AWS's own where AWS has one (AMI names, tags,
 * ids, SSM parameter names), and deliberately narrow where a value reaches the helper's shell environment
 * (URLs, hostname, package atoms): the SSM document's allowedPatterns are a second line, not the first.
 */
final class InputRules {
    static final Pattern AMI_NAME = Pattern.compile("[A-Za-z0-9()\\[\\] ./'@_-]{3,128}");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    // the fields that become bootstrap parameters follow the parameter's declaration
    static final Pattern HTTPS_URL = BootstrapParameter.STAGE3_URL.valueRegex();
    static final Pattern SHA256 = BootstrapParameter.STAGE3_SHA256.valueRegex();
    static final Pattern HOSTNAME = BootstrapParameter.HOSTNAME.valueRegex();
    static final Pattern RELEASE = BootstrapParameter.STAGE3_RELEASE.valueRegex();
    static final Pattern SUBARCH = BootstrapParameter.STAGE3_SUBARCH.valueRegex();
    static final Pattern ATOM = BootstrapParameter.EXTRA_PACKAGES.valueRegex();
    /** The package part of an atom (before any :slot or ::repo) carries a version: -<digit> after the name. */
    static final Pattern VERSIONED = Pattern.compile("[^/]*/.*-[0-9][^/]*");
    static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*");
    // the other fields' patterns, as schema/build-input.schema.json declares them
    static final Pattern SUBNET_ID = InputSchema.regex("/properties/network/properties/subnetId");
    static final Pattern SECURITY_GROUP_ID = InputSchema.regex("/properties/network/properties/securityGroupId");
    static final Pattern IMAGE_ID = InputSchema.regex("/properties/helper/properties/imageId");
    static final Pattern INSTANCE_TYPE = InputSchema.regex("/properties/helper/properties/instanceType");
    static final Pattern ACCOUNT_ID = InputSchema.regex("/properties/publish/properties/launchPermissionAccountIds/items");
    static final Pattern REGION = InputSchema.regex("/properties/publish/properties/copyToRegions/items");
    static final Pattern SSM_PARAMETER = Pattern.compile("(/[A-Za-z0-9_.-]+){1,15}");
    static final Pattern KMS_KEY = InputSchema.regex("/properties/image/properties/kmsKeyId");
    static final Pattern BUILD_ID = BootstrapParameter.BUILD_ID.valueRegex();
    static final int MAX_URL = InputSchema.limit("/$defs/httpsUrl", "maxLength");
    static final int MAX_HOSTNAME = InputSchema.limit("/properties/bootstrap/properties/hostname", "maxLength");
    static final int MAX_ATOM = InputSchema.limit("/$defs/packageAtom", "maxLength");

    private InputRules() {
    }

    static Optional<String> httpsUrl(String url) {
        if (url.length() > MAX_URL) {
            return Optional.of("must be at most " + MAX_URL + " characters");
        }
        if (url.regionMatches(true, 0, "http://", 0, 7)) {
            return Optional.of("must use https:// (got http://)");
        }
        String authority = url.replaceFirst("^[A-Za-z]+://", "").split("/", 2)[0];
        if (authority.contains("@")) {
            return Optional.of("must not contain credentials (user@host)");
        }
        if (!HTTPS_URL.matcher(url).matches()) {
            return Optional.of("must be an https:// URL made of letters, digits and - . _ ~ + / only"
                    + " (no credentials, query, fragment, spaces or shell metacharacters)");
        }
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                return Optional.of("must name a host");
            }
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL: " + e.getReason());
        }
        return Optional.empty();
    }

    /** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 1–63 each, 253 in all. */
    static Optional<String> hostname(String name) {
        if (name.length() > MAX_HOSTNAME || name.isEmpty()) {
            return Optional.of("must be 1–" + MAX_HOSTNAME + " characters");
        }
        if (!HOSTNAME.matcher(name).matches()) {
            return Optional.of("must be an RFC 1123 host name: dot-separated labels of 1–63 letters, digits"
                    + " and inner hyphens");
        }
        return Optional.empty();
    }

    static Optional<String> atom(String atom) {
        if (atom.length() > MAX_ATOM || !ATOM.matcher(atom).matches()) {
            return Optional.of("must be a package atom such as app-editors/vim, >=dev-lang/perl-5.38:0 or"
                    + " sys-kernel/gentoo-sources:6.6::gentoo (no spaces or shell metacharacters)");
        }
        String operator = atom.replaceFirst("^([<>]=?|=|~)?.*$", "$1");
        String packagePart = atom.substring(operator.length()).split(":", 2)[0];
        if (!operator.isEmpty() && !VERSIONED.matcher(packagePart).matches()) {
            return Optional.of("has a version operator but no version (e.g. >=dev-lang/perl-5.38)");
        }
        if (packagePart.endsWith("*") && !operator.equals("=")) {
            return Optional.of("may end in * only after the = operator");
        }
        return Optional.empty();
    }

    static Optional<String> tagKey(String key) {
        if (key.isEmpty() || key.length() > 128) {
            return Optional.of("key must be 1–128 characters");
        }
        if (!TAG_CHARS.matcher(key).matches()) {
            return Optional.of("key may contain letters, digits, spaces and _ . : / = + - @ only");
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.startsWith("aws:")) {
            return Optional.of("key must not start with aws: (reserved by AWS)");
        }
        if (lower.startsWith(Tags.PREFIX)) {
            return Optional.of("key must not start with " + Tags.PREFIX + " (the builder's own tags)");
        }
        if (key.equals(Tags.NAME)) {
            return Optional.of("key Name is set by the builder (the AMI's name is image.name)");
        }
        return Optional.empty();
    }

    static Optional<String> tagValue(String value) {
        if (value.length() > 256) {
            return Optional.of("value must be at most 256 characters");
        }
        if (!TAG_CHARS.matcher(value).matches()) {
            return Optional.of("value may contain letters, digits, spaces and _ . : / = + - @ only");
        }
        return Optional.empty();
    }

    /** Where the builder may write SSM parameters: the stack grants ssm:PutParameter below this path only. */
    static final String SSM_PARAMETER_PREFIX = "/funtoo-ami-builder/";

    /** SSM parameter names: fully qualified, at most 15 levels, below {@link #SSM_PARAMETER_PREFIX}. */
    static Optional<String> ssmParameterName(String name) {
        if (name.length() > 1011 || !SSM_PARAMETER.matcher(name).matches()) {
            return Optional.of("must be a path like /funtoo/amd64/latest: / followed by up to 15 levels of"
                    + " letters, digits and _ . - (at most 1011 characters)");
        }
        if (!name.startsWith(SSM_PARAMETER_PREFIX)) {
            return Optional.of("must be under " + SSM_PARAMETER_PREFIX + " (the stack lets the builder write"
                    + " parameters there only)");
        }
        return Optional.empty();
    }
}
