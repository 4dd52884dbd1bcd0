package org.funtoo.amibuilder.cdk;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EventBridge's schedule expressions, as a scheduled rule accepts them, checked at synthesis so that a bad
 * {@code buildSchedule} or {@code janitorSchedule} stops {@code cdk synth} instead of {@code cdk deploy} halfway.
 * The syntax is AWS's documented one (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html,
 * with its references https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html and
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html):
 * <ul>
 *   <li>{@code rate(value unit)}: a positive whole number and minute, hour or day, singular for 1 and plural
 *       otherwise ({@code rate(1 hours)} and {@code rate(5 hour)} are invalid);</li>
 *   <li>{@code cron(Minutes Hours Day-of-month Month Day-of-week Year)}: six fields separated by white space, each
 *       of its documented values and wildcards; one of Day-of-month and Day-of-week must be {@code ?} and the other
 *       not; {@code #} only as the single expression of Day-of-week.</li>
 * </ul>
 */
final class ScheduleExpression {
    static final String EXAMPLES = "cron(0 4 ? * MON *) or rate(7 days)";

    private static final Pattern RATE = Pattern.compile("rate\\((\\S+) (\\S+)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /** One cron field: its name, its range, its names for values and the wildcards it allows beyond , - * /. */
    private record Field(String name, int min, int max, List<String> names, String extra) {
        String values() {
            return min + "-" + max + (names.isEmpty() ? "" : " or " + names.get(0) + "-" + names.get(names.size() - 1));
        }
    }

    private static final List<Field> FIELDS = List.of(
            new Field("Minutes", 0, 59, List.of(), ""),
            new Field("Hours", 0, 23, List.of(), ""),
            new Field("Day-of-month", 1, 31, List.of(), "?LW"),
            new Field("Month", 1, 12, MONTHS, ""),
            new Field("Day-of-week", 1, 7, DAYS, "?L#"),
            new Field("Year", 1970, 2199, List.of(), ""));

    private ScheduleExpression() {
    }

    /** What is wrong with an expression, or empty when EventBridge accepts it. */
    static Optional<String> problem(String expression) {
        Matcher rate = RATE.matcher(expression);
        if (rate.matches()) {
            return rateProblem(rate.group(1), rate.group(2));
        }
        Matcher cron = CRON.matcher(expression);
        if (cron.matches()) {
            return cronProblem(cron.group(1));
        }
        return Optional.of("is not an EventBridge schedule expression: write cron(Minutes Hours Day-of-month Month"
                + " Day-of-week Year) or rate(value unit), e.g. " + EXAMPLES);
    }

    private static Optional<String> rateProblem(String value, String unit) {
        if (!value.matches("[1-9][0-9]{0,8}")) {
            return Optional.of("is a rate whose value is not a positive whole number (" + value + ")");
        }
        String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        if (!List.of("minute", "hour", "day").contains(singular)) {
            return Optional.of("is a rate with the unit " + unit + ": write minute(s), hour(s) or day(s)");
        }
        boolean one = value.equals("1");
        if (one != unit.equals(singular)) {
            return Optional.of("is a rate with the unit " + unit + ": EventBridge wants the singular for 1 and the"
                    + " plural otherwise (rate(" + value + " " + (one ? singular : singular + "s") + "))");
        }
        return Optional.empty();
    }

    private static Optional<String> cronProblem(String body) {
        String[] fields = body.trim().split("\\s+");
        if (fields.length != FIELDS.size()) {
            return Optional.of("is a cron expression with " + (body.isBlank() ? 0 : fields.length) + " fields; it needs"
                    + " six: Minutes Hours Day-of-month Month Day-of-week Year, e.g. cron(0 4 ? * MON *)");
        }
        for (int i = 0; i < fields.length; i++) {
            Optional<String> problem = fieldProblem(FIELDS.get(i), fields[i].toUpperCase(Locale.ROOT));
            if (problem.isPresent()) {
                return problem;
            }
        }
        boolean dayOfMonthAny = fields[2].equals("?");
        boolean dayOfWeekAny = fields[4].equals("?");
        if (dayOfMonthAny == dayOfWeekAny) {
            return Optional.of("is a cron expression with " + (dayOfMonthAny ? "?" : "a value") + " in both"
                    + " Day-of-month and Day-of-week: one of them must be ? and the other not"
                    + " (e.g. cron(0 4 * * ? *) daily, cron(0 4 ? * MON *) on Mondays)");
        }
        return Optional.empty();
    }

    private static Optional<String> fieldProblem(Field field, String text) {
        if (text.equals("?")) {
            return field.extra().contains("?") ? Optional.empty()
                    : Optional.of(wrong(field, text, "? is allowed only in Day-of-month and Day-of-week"));
        }
        if (text.contains("#")) {
            // "#" names the nth weekday of the month, and only as the field's one expression: 3#2, not 3#1,6#3
            Matcher nth = Pattern.compile("([^#,]+)#([1-5])").matcher(text);
            return field.extra().contains("#") && nth.matches() && value(field, nth.group(1)) != null
                    ? Optional.empty()
                    : Optional.of(wrong(field, text, "# is allowed only in Day-of-week, as one expression such as"
                    + " 3#2 (the second Tuesday)"));
        }
        for (String item : text.split(",", -1)) {
            if (!itemValid(field, item)) {
                return Optional.of(wrong(field, text, "allowed are " + field.values() + " with , - * /"
                        + (field.extra().isEmpty() ? "" : " and " + String.join(" ", field.extra().split("")))));
            }
        }
        return Optional.empty();
    }

    private static boolean itemValid(Field field, String item) {
        if (field.extra().contains("L")) {
            if (item.equals("L") || field.name().equals("Day-of-month") && item.equals("LW")) {
                return true;
            }
            if (item.endsWith("L") && field.name().equals("Day-of-week")) {
                return value(field, item.substring(0, item.length() - 1)) != null;
            }
        }
        if (field.extra().contains("W") && item.endsWith("W")) {
            return value(field, item.substring(0, item.length() - 1)) != null;
        }
        String[] step = item.split("/", -1);
        if (step.length > 2 || step.length == 2 && !step[1].matches("[1-9][0-9]{0,3}")) {
            return false;
        }
        String range = step[0];
        if (range.equals("*")) {
            return true;
        }
        String[] ends = range.split("-", -1);
        if (ends.length > 2) {
            return false;
        }
        for (String end : ends) {
            if (value(field, end) == null) {
                return false;
            }
        }
        return true;
    }

    /** A single value of the field (a number in its range or one of its names), or null. */
    private static Integer value(Field field, String text) {
        int named = field.names().indexOf(text);
        if (named >= 0) {
            return field.min() + named;
        }
        if (!text.matches("[0-9]{1,4}")) {
            return null;
        }
        int number = Integer.parseInt(text);
        return number >= field.min() && number <= field.max() ? number : null;
    }

    private static String wrong(Field field, String text, String allowed) {
        return "is a cron expression whose " + field.name() + " field " + text + " is not valid: " + allowed;
    }
}
