package org.funtoo.amibuilder.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Node;

/**
 * The deployment's settings, from CDK context ({@code cdk.json} or {@code cdk deploy -c key=value}); the README's
 * "Configuration" section lists them. Values from cdk.json arrive as JSON values, values from {@code -c} as
 * strings: both are accepted.
 */
public record BuilderConfig(Duration buildTimeout, Duration bootstrapTimeout, RetentionDays logRetention,
                            Optional<String> notificationEmail, Optional<String> buildSchedule,
                            Map<String, Object> buildScheduleInput, String janitorSchedule,
                            Optional<String> bootstrapOutputBucket, List<String> helperImageOwners) {
    public static final String BUILD_TIMEOUT_HOURS = "buildTimeoutHours";
    public static final String BOOTSTRAP_TIMEOUT_MINUTES = "bootstrapTimeoutMinutes";
    public static final String LOG_RETENTION_DAYS = "logRetentionDays";
    public static final String NOTIFICATION_EMAIL = "notificationEmail";
    public static final String BUILD_SCHEDULE = "buildSchedule";
    public static final String BUILD_SCHEDULE_INPUT = "buildScheduleInput";
    public static final String JANITOR_SCHEDULE = "janitorSchedule";
    public static final String BOOTSTRAP_OUTPUT_BUCKET = "bootstrapOutputBucket";
    public static final String HELPER_IMAGE_OWNERS = "helperImageOwners";
    /** {@code amazon} (AWS's own images, e.g. Amazon Linux) and {@code self}, the deploying account. */
    public static final List<String> DEFAULT_HELPER_IMAGE_OWNERS = List.of("amazon", "self");
    private static final Pattern OWNER = Pattern.compile("amazon|self|\\d{12}");

    private static final ObjectMapper JSON = new ObjectMapper();

    public static BuilderConfig from(Node node) {
        int buildHours = integer(node, BUILD_TIMEOUT_HOURS, 6);
        int bootstrapMinutes = integer(node, BOOTSTRAP_TIMEOUT_MINUTES, 180);
        if (bootstrapMinutes >= buildHours * 60) {
            throw new IllegalArgumentException(BOOTSTRAP_TIMEOUT_MINUTES + " must be shorter than "
                    + BUILD_TIMEOUT_HOURS);
        }
        return new BuilderConfig(Duration.hours(buildHours), Duration.minutes(bootstrapMinutes),
                retention(integer(node, LOG_RETENTION_DAYS, 90)),
                text(node, NOTIFICATION_EMAIL), text(node, BUILD_SCHEDULE), object(node, BUILD_SCHEDULE_INPUT),
                text(node, JANITOR_SCHEDULE).orElse("cron(0 5 * * ? *)"), text(node, BOOTSTRAP_OUTPUT_BUCKET),
                owners(node));
    }

    /**
     * Whose images a helper may boot: {@code amazon}, {@code self} or 12-digit account ids, a JSON list in cdk.json
     * or a comma-separated string with {@code -c}.
     */
    private static List<String> owners(Node node) {
        Object value = node.tryGetContext(HELPER_IMAGE_OWNERS);
        if (value == null) {
            return DEFAULT_HELPER_IMAGE_OWNERS;
        }
        List<String> owners = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(o -> owners.add(String.valueOf(o).trim()));
        } else {
            for (String o : value.toString().replaceAll("[\\[\\]\"]", "").split(",")) {
                owners.add(o.trim());
            }
        }
        owners.removeIf(String::isEmpty);
        if (owners.isEmpty() || !owners.stream().allMatch(o -> OWNER.matcher(o).matches())) {
            throw new IllegalArgumentException("context " + HELPER_IMAGE_OWNERS + " must list image owners: amazon, "
                    + "self (the deploying account) or 12-digit account ids, not " + value);
        }
        return List.copyOf(new java.util.LinkedHashSet<>(owners));
    }

    private static int integer(Node node, String key, int fallback) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return fallback;
        }
        try {
            int number = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
            if (number <= 0) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("context " + key + " must be a positive whole number, not " + value);
        }
    }

    private static Optional<String> text(Node node, String key) {
        Object value = node.tryGetContext(key);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString().trim());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Node node, String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        try {
            return JSON.readValue(value.toString(), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("context " + key + " must be a JSON object, not " + value, e);
        }
    }

    private static RetentionDays retention(int days) {
        String name = retentionName(days);
        if (!name.isEmpty()) {
            return RetentionDays.valueOf(name);
        }
        throw new IllegalArgumentException("context " + LOG_RETENTION_DAYS + ": " + days
                + " is not a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, "
                + "180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)");
    }

    private static String retentionName(int days) {
        return switch (days) {
            case 1 -> "ONE_DAY";
            case 3 -> "THREE_DAYS";
            case 5 -> "FIVE_DAYS";
            case 7 -> "ONE_WEEK";
            case 14 -> "TWO_WEEKS";
            case 30 -> "ONE_MONTH";
            case 60 -> "TWO_MONTHS";
            case 90 -> "THREE_MONTHS";
            case 120 -> "FOUR_MONTHS";
            case 150 -> "FIVE_MONTHS";
            case 180 -> "SIX_MONTHS";
            case 365 -> "ONE_YEAR";
            case 400 -> "THIRTEEN_MONTHS";
            case 545 -> "EIGHTEEN_MONTHS";
            case 731 -> "TWO_YEARS";
            case 1096 -> "THREE_YEARS";
            case 1827 -> "FIVE_YEARS";
            case 2192 -> "SIX_YEARS";
            case 2557 -> "SEVEN_YEARS";
            case 2922 -> "EIGHT_YEARS";
            case 3288 -> "NINE_YEARS";
            case 3653 -> "TEN_YEARS";
            default -> "";
        };
    }
}
