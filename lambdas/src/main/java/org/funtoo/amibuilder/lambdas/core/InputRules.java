package org.funtoo.amibuilder.lambdas.core;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for single input values that schema/build-input.schema.json does not express (it lists them in
 * x-crossFieldRules): AMI names after their placeholders are expanded, and tags, whose keys and values AWS limits
 * to certain characters and where some keys are reserved. Their length limits are the schema's. Each check returns
 * the problem, phrased to follow the field's name in the error message, or empty when the value is fine.
 */
final class InputRules {
    static final Pattern AMI_NAME = Pattern.compile("[A-Za-z0-9()\\[\\] ./'@_-]{3,128}");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    static final Pattern TAG_CHARS = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*");
    static final Pattern BUILD_ID = BootstrapParameter.BUILD_ID.valueRegex();

    private InputRules() {
    }

    static Optional<String> tagKey(String key) {
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
        if (!TAG_CHARS.matcher(value).matches()) {
            return Optional.of("value may contain letters, digits, spaces and _ . : / = + - @ only");
        }
        return Optional.empty();
    }

    /** Where the builder may write SSM parameters: the stack grants ssm:PutParameter below this path only. */
    static final String SSM_PARAMETER_PREFIX = "/funtoo-ami-builder/";
}
