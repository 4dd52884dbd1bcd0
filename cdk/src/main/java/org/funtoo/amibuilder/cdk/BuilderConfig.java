package org.funtoo.amibuilder.cdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.funtoo.amibuilder.lambdas.core.BootstrapParameter;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.InputValidator;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Node;

/**
 * The deployment's settings, from CDK context ({@code cdk.json} or {@code cdk deploy -c key=value}); the README's
 * "Configuration" section lists them. Values from cdk.json arrive as JSON values, values from {@code -c} as
 * strings: both are accepted. Every value is checked here, before anything of the stack exists, and every bad one
 * is named in one line of an {@link InvalidContext}: its key, what is wrong and what it must be.
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
    /** Every key of the app's context; another key that looks like one of them is taken for a typo. */
    public static final List<String> KEYS = List.of(BUILD_TIMEOUT_HOURS, BOOTSTRAP_TIMEOUT_MINUTES, LOG_RETENTION_DAYS,
            NOTIFICATION_EMAIL, BUILD_SCHEDULE, BUILD_SCHEDULE_INPUT, JANITOR_SCHEDULE, BOOTSTRAP_OUTPUT_BUCKET,
            HELPER_IMAGE_OWNERS);
    /** {@code amazon} (AWS's own images, e.g. Amazon Linux) and {@code self}, the deploying account. */
    public static final List<String> DEFAULT_HELPER_IMAGE_OWNERS = List.of("amazon", "self");
    public static final String DEFAULT_JANITOR_SCHEDULE = "cron(0 5 * * ? *)";
    private static final Pattern OWNER = Pattern.compile("amazon|self|\\d{12}");
    /**
     * Step Functions runs a Standard execution for at most a year
     * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
     */
    private static final int MAX_BUILD_HOURS = 365 * 24;
    /** The bootstrap's default limit is the SSM document's executionTimeout: whole minutes its pattern allows. */
    private static final int[] BOOTSTRAP_MINUTES = IntStream.rangeClosed(1, 100_000)
            .filter(m -> Pattern.matches(BootstrapParameter.EXECUTION_TIMEOUT_PATTERN, Integer.toString(m * 60)))
            .toArray();
    /** One address, as an SNS email subscription takes it. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"',;<>]+@[^@\\s\"',;<>]+\\.[^@\\s\"',;<>.]+");
    /**
     * A general purpose bucket's name (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
     * 3-63 lowercase letters, digits, dots and hyphens, a letter or digit at either end, no two dots in a row, not
     * an IP address, none of the reserved prefixes and suffixes.
     */
    private static final Pattern BUCKET = Pattern.compile("(?!xn--|sthree-|amzn-s3-demo-)(?!.*\\.\\.)"
            + "(?!\\d+\\.\\d+\\.\\d+\\.\\d+$)(?!.*(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /**
     * The execution name of a scheduled build: Step Functions names an execution that EventBridge starts with a
     * UUID, which the first state accepts as the build id.
     */
    private static final String SCHEDULED_BUILD_ID = "00000000-0000-4000-8000-000000000000";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static BuilderConfig from(Node node) {
        Reader in = new Reader(node);
        in.typos();
        int buildHours = in.whole(BUILD_TIMEOUT_HOURS, 6, 1, MAX_BUILD_HOURS, "hours",
                "the most Step Functions runs an execution (a year)");
        int bootstrapMinutes = in.whole(BOOTSTRAP_TIMEOUT_MINUTES, 180, BOOTSTRAP_MINUTES[0],
                BOOTSTRAP_MINUTES[BOOTSTRAP_MINUTES.length - 1], "minutes",
                "the run limits the bootstrap document's executionTimeout can hold");
        if (bootstrapMinutes >= buildHours * 60) {
            in.problem(BOOTSTRAP_TIMEOUT_MINUTES, "must be shorter than " + BUILD_TIMEOUT_HOURS + " (" + buildHours
                    + " h): the build must outlive its bootstrap to clean up; lower it or raise "
                    + BUILD_TIMEOUT_HOURS, bootstrapMinutes);
        }
        RetentionDays retention = in.retention(in.whole(LOG_RETENTION_DAYS, 90, 1, Integer.MAX_VALUE, "days", ""));
        Optional<String> email = in.text(NOTIFICATION_EMAIL, v -> EMAIL.matcher(v).matches() ? null
                : "must be one e-mail address such as builds@example.org (or \"\" for none)");
        Optional<String> buildSchedule = in.text(BUILD_SCHEDULE, v -> ScheduleExpression.problem(v).orElse(null));
        Map<String, Object> scheduleInput = in.scheduleInput(buildSchedule.isPresent()
                || in.given(BUILD_SCHEDULE) && !in.isBlank(BUILD_SCHEDULE));
        String janitorSchedule = in.text(JANITOR_SCHEDULE, v -> ScheduleExpression.problem(v).orElse(null))
                .orElse(DEFAULT_JANITOR_SCHEDULE);
        Optional<String> bucket = in.text(BOOTSTRAP_OUTPUT_BUCKET, v -> BUCKET.matcher(v).matches() ? null
                : "must be an S3 bucket name: 3-63 lowercase letters, digits, . and -, starting and ending with a"
                + " letter or digit (or \"\" for none)");
        List<String> owners = in.owners();
        in.failOnProblems();
        return new BuilderConfig(Duration.hours(buildHours), Duration.minutes(bootstrapMinutes), retention,
                email, buildSchedule, scheduleInput, janitorSchedule, bucket, owners);
    }

    /**
     * Reads the context one key at a time; a bad value is recorded as a problem and read as its default, so that
     * one run names every bad value.
     */
    private static final class Reader {
        private final Node node;
        private final List<String> problems = new ArrayList<>();

        Reader(Node node) {
            this.node = node;
        }

        boolean given(String key) {
            return node.tryGetContext(key) != null;
        }

        boolean isBlank(String key) {
            return node.tryGetContext(key) instanceof String s && s.isBlank();
        }

        void problem(String key, String what, Object got) {
            problems.add("context " + key + ": " + what + " (got " + shown(got) + ")");
        }

        void failOnProblems() {
            if (!problems.isEmpty()) {
                throw new InvalidContext(problems);
            }
        }

        /** A context key that is none of ours but looks like one: a typo would silently keep the default. */
        void typos() {
            if (!(node.getAllContext() instanceof Map<?, ?> context)) {
                return;
            }
            for (Object key : context.keySet()) {
                String name = key.toString();
                if (KEYS.contains(name) || name.contains(":") || name.startsWith("@")) {
                    continue;
                }
                KEYS.stream().filter(ours -> resembles(name, ours)).findFirst().ifPresent(ours -> problems.add(
                        "context " + name + ": is not a setting of this app; did you mean " + ours + "? (a misspelt"
                                + " key is ignored and the default applies)"));
            }
        }

        int whole(String key, int fallback, int min, int max, String unit, String why) {
            Object value = node.tryGetContext(key);
            if (value == null) {
                return fallback;
            }
            try {
                long number = value instanceof Number n ? new BigDecimal(n.toString()).longValueExact()
                        : value instanceof String s ? Long.parseLong(s.trim()) : Long.MIN_VALUE;
                if (number >= min && number <= max) {
                    return (int) number;
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // named below
            }
            problem(key, "must be a whole number of " + unit + " from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max) + (why.isEmpty() ? "" : ", " + why), value);
            return fallback;
        }

        /** A string setting, "" for none; a problem when the check says what is wrong. */
        Optional<String> text(String key, Function<String, String> check) {
            Object value = node.tryGetContext(key);
            if (value == null) {
                return Optional.empty();
            }
            if (!(value instanceof String s)) {
                problem(key, "must be a string", value);
                return Optional.empty();
            }
            if (s.isBlank()) {
                return Optional.empty();
            }
            String problem = check.apply(s.trim());
            if (problem != null) {
                problem(key, problem, s);
                return Optional.empty();
            }
            return Optional.of(s.trim());
        }

        RetentionDays retention(int days) {
            String name = retentionName(days);
            if (!name.isEmpty()) {
                return RetentionDays.valueOf(name);
            }
            problem(LOG_RETENTION_DAYS, "must be a CloudWatch Logs retention period: 1, 3, 5, 7, 14, 30, 60, 90, 120,"
                    + " 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days", days);
            return RetentionDays.THREE_MONTHS;
        }

        /**
         * The input of every scheduled build, checked as the first state will check it (InputValidator), so a bad
         * one fails here and not every scheduled build. The build's region is not known at synthesis (the stack is
         * environment-agnostic): the one rule that needs it, publish.copyToRegions not naming the build's own
         * region, is left to the first state; the image owner rule needs AWS and is left to ResolveHelperImage.
         */
        @SuppressWarnings("unchecked")
        Map<String, Object> scheduleInput(boolean scheduled) {
            Object value = node.tryGetContext(BUILD_SCHEDULE_INPUT);
            if (value == null) {
                return Map.of();
            }
            Map<String, Object> input;
            if (value instanceof Map<?, ?> map) {
                input = (Map<String, Object>) map;
            } else {
                try {
                    input = value instanceof String s && s.trim().startsWith("{")
                            ? JSON.readValue(s, LinkedHashMap.class) : null;
                } catch (JsonProcessingException e) {
                    input = null;
                }
                if (input == null) {
                    problem(BUILD_SCHEDULE_INPUT, "must be a JSON object, the execution input of scheduled builds"
                            + " (e.g. {\"distribution\": \"gentoo\"})", value);
                    return Map.of();
                }
            }
            if (!input.isEmpty() && !scheduled) {
                problem(BUILD_SCHEDULE_INPUT, "is given but " + BUILD_SCHEDULE + " is not, so no build would use it:"
                        + " set " + BUILD_SCHEDULE + " or leave " + BUILD_SCHEDULE_INPUT + " {}", input);
            }
            try {
                InputValidator.validate(input, SCHEDULED_BUILD_ID, Instant.now(), null);
            } catch (BuildFailure e) {
                problems.add("context " + BUILD_SCHEDULE_INPUT + ": every scheduled build would fail at its first"
                        + " state: " + e.getMessage());
            }
            return input;
        }

        /**
         * Whose images a helper may boot: {@code amazon}, {@code self} or 12-digit account ids, a JSON list in
         * cdk.json or a comma-separated string with {@code -c}.
         */
        List<String> owners() {
            Object value = node.tryGetContext(HELPER_IMAGE_OWNERS);
            if (value == null) {
                return DEFAULT_HELPER_IMAGE_OWNERS;
            }
            List<String> owners = new ArrayList<>();
            if (value instanceof List<?> list) {
                list.forEach(o -> owners.add(o instanceof String s ? s.trim() : "not a string: " + o));
            } else {
                for (String o : value.toString().replaceAll("[\\[\\]\"]", "").split(",")) {
                    owners.add(o.trim());
                }
            }
            owners.removeIf(String::isEmpty);
            if (owners.isEmpty() || !owners.stream().allMatch(o -> OWNER.matcher(o).matches())) {
                problem(HELPER_IMAGE_OWNERS, "must list image owners: amazon, self (the deploying account) or 12-digit"
                        + " account ids, e.g. [\"amazon\", \"self\"] or amazon,111122223333", value);
                return DEFAULT_HELPER_IMAGE_OWNERS;
            }
            return List.copyOf(new LinkedHashSet<>(owners));
        }

        private static String shown(Object value) {
            String text;
            try {
                text = value instanceof String s ? "\"" + s + "\"" : JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                text = String.valueOf(value);
            }
            text = text.replaceAll("\\s+", " ");
            return text.length() > 80 ? text.substring(0, 77) + "..." : text;
        }
    }

    /** Case aside, at most two letters inserted, deleted or changed. */
    static boolean resembles(String key, String ours) {
        String a = key.toLowerCase(Locale.ROOT);
        String b = ours.toLowerCase(Locale.ROOT);
        if (Math.abs(a.length() - b.length()) > 2) {
            return false;
        }
        int[] previous = IntStream.rangeClosed(0, b.length()).toArray();
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int change = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(change, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[b.length()] <= 2;
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
