package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.services.logs.RetentionDays;

/** The CDK context settings (README, "Configuration"). */
class BuilderConfigTest {

    @Test
    void anEmptyContextGivesTheDocumentedDefaults() {
        BuilderConfig config = config(Map.of());
        assertEquals(6 * 3600, config.buildTimeout().toSeconds().intValue());
        assertEquals(180 * 60, config.bootstrapTimeout().toSeconds().intValue());
        assertEquals(RetentionDays.THREE_MONTHS, config.logRetention());
        assertEquals(Optional.empty(), config.notificationEmail());
        assertEquals(Optional.empty(), config.buildSchedule());
        assertEquals(Map.of(), config.buildScheduleInput());
        assertEquals("cron(0 5 * * ? *)", config.janitorSchedule());
        assertEquals(Optional.empty(), config.bootstrapOutputBucket());
        assertEquals(java.util.List.of("amazon", "self"), config.helperImageOwners());
    }

    @Test
    void helperImageOwnersAreAmazonSelfOrAccountIdsAsAListOrACommaSeparatedString() {
        assertEquals(java.util.List.of("amazon", "111122223333"), config(Map.of(BuilderConfig.HELPER_IMAGE_OWNERS,
                java.util.List.of("amazon", "111122223333"))).helperImageOwners());
        assertEquals(java.util.List.of("self", "111122223333"), config(Map.of(BuilderConfig.HELPER_IMAGE_OWNERS,
                "self, 111122223333")).helperImageOwners());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> config(Map.of(
                BuilderConfig.HELPER_IMAGE_OWNERS, "aws-marketplace")));
        assertTrue(wrong.getMessage().contains(BuilderConfig.HELPER_IMAGE_OWNERS), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(Map.of(BuilderConfig.HELPER_IMAGE_OWNERS, "")));
    }

    @Test
    void cdkJsonListsEveryKeyWithItsDefault() {
        Map<String, Object> context = SynthesizedApp.cdkJsonContext(Map.of());
        // beside the settings, cdk.json holds only the CDK's feature flags (README, "Configuration")
        Map<String, Object> settings = new java.util.LinkedHashMap<>(context);
        settings.keySet().removeIf(key -> key.startsWith("@aws-cdk"));
        assertEquals(java.util.Set.of(BuilderConfig.BUILD_TIMEOUT_HOURS, BuilderConfig.BOOTSTRAP_TIMEOUT_MINUTES,
                BuilderConfig.LOG_RETENTION_DAYS, BuilderConfig.NOTIFICATION_EMAIL, BuilderConfig.BUILD_SCHEDULE,
                BuilderConfig.BUILD_SCHEDULE_INPUT, BuilderConfig.JANITOR_SCHEDULE,
                BuilderConfig.BOOTSTRAP_OUTPUT_BUCKET, BuilderConfig.HELPER_IMAGE_OWNERS), settings.keySet());
        assertEquals(java.util.Set.copyOf(BuilderConfig.KEYS), settings.keySet());
        // jsii Durations have no equals: compare the rendered settings
        assertEquals(config(Map.of()).toString(), config(context).toString());
    }

    @Test
    void valuesGivenOnTheCommandLineArriveAsStringsAndAreAccepted() {
        BuilderConfig config = config(Map.of(
                BuilderConfig.BUILD_TIMEOUT_HOURS, "8",
                BuilderConfig.LOG_RETENTION_DAYS, "30",
                BuilderConfig.BUILD_SCHEDULE, "rate(7 days)",
                BuilderConfig.BUILD_SCHEDULE_INPUT, "{\"distribution\": \"gentoo\"}"));
        assertEquals(8 * 3600, config.buildTimeout().toSeconds().intValue());
        assertEquals(RetentionDays.ONE_MONTH, config.logRetention());
        assertEquals(Optional.of("rate(7 days)"), config.buildSchedule());
        assertEquals(Map.of("distribution", "gentoo"), config.buildScheduleInput());
    }

    @Test
    void settingsThatCannotWorkAreRejectedAtSynthesis() {
        assertThrows(IllegalArgumentException.class, () -> config(Map.of(BuilderConfig.LOG_RETENTION_DAYS, 42)));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of(BuilderConfig.BUILD_TIMEOUT_HOURS, "six")));
        assertThrows(IllegalArgumentException.class, () -> config(Map.of(BuilderConfig.BUILD_TIMEOUT_HOURS, 0)));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> config(Map.of(
                BuilderConfig.BUILD_TIMEOUT_HOURS, 2, BuilderConfig.BOOTSTRAP_TIMEOUT_MINUTES, 120)));
        assertTrue(tooLong.getMessage().contains(BuilderConfig.BOOTSTRAP_TIMEOUT_MINUTES));
        assertThrows(IllegalArgumentException.class,
                () -> config(Map.of(BuilderConfig.BUILD_SCHEDULE_INPUT, "not json")));
    }

    @Test
    void everyBadValueGetsOneLineThatNamesItsKeyAndWhatItMustBe() {
        Map<String, Object> context = new java.util.LinkedHashMap<>();
        context.put(BuilderConfig.BUILD_TIMEOUT_HOURS, 6.5);
        context.put(BuilderConfig.BOOTSTRAP_TIMEOUT_MINUTES, true);
        context.put(BuilderConfig.LOG_RETENTION_DAYS, java.util.List.of(90));
        context.put(BuilderConfig.NOTIFICATION_EMAIL, "builds at example.org");
        context.put(BuilderConfig.BUILD_SCHEDULE, "cron(0 4 * * MON *)");
        context.put(BuilderConfig.BUILD_SCHEDULE_INPUT, Map.of("distribution", "ubuntu"));
        context.put(BuilderConfig.JANITOR_SCHEDULE, "rate(1 days)");
        context.put(BuilderConfig.BOOTSTRAP_OUTPUT_BUCKET, "My_Bucket");
        context.put(BuilderConfig.HELPER_IMAGE_OWNERS, java.util.List.of("amazon", "aws-marketplace"));
        InvalidContext invalid = assertThrows(InvalidContext.class, () -> config(context));
        java.util.List<String> keys = invalid.problems().stream().map(p -> p.replaceFirst("^context (\\S+): .*", "$1"))
                .toList();
        assertEquals(BuilderConfig.KEYS, keys, invalid.getMessage());
        for (String problem : invalid.problems()) {
            assertTrue(problem.matches("context \\S+: (must|is|every) [^\\n]+"), problem);
        }
        assertTrue(invalid.problems().get(0).contains("whole number of hours from 1 to 8760"), invalid.getMessage());
        assertTrue(invalid.problems().get(4).contains("one of them must be ?"), invalid.getMessage());
        assertTrue(invalid.problems().get(5).contains("distribution: must be one of funtoo, gentoo (got \"ubuntu\")"),
                invalid.getMessage());
        assertTrue(invalid.problems().get(6).contains("(rate(1 day))"), invalid.getMessage());
    }

    @Test
    void aScheduledBuildsInputIsCheckedAsTheFirstStateChecksAnExecutionsInput() {
        Map<String, Object> gentooArm = Map.of("distribution", "gentoo", "architecture", "arm64");
        assertEquals(gentooArm, config(Map.of(BuilderConfig.BUILD_SCHEDULE, "rate(7 days)",
                BuilderConfig.BUILD_SCHEDULE_INPUT, gentooArm)).buildScheduleInput());
        // a rule across fields (InputValidator), an unknown field and a pattern (the schema), as ValidateInput says them
        InvalidContext funtooArm = assertThrows(InvalidContext.class, () -> config(Map.of(
                BuilderConfig.BUILD_SCHEDULE, "rate(7 days)", BuilderConfig.BUILD_SCHEDULE_INPUT,
                "{\"distribution\": \"funtoo\", \"architecture\": \"arm64\", \"image\": {\"nam\": \"x\"}, "
                        + "\"bootstrap\": {\"hostname\": \"-bad-\"}}")));
        assertEquals(1, funtooArm.problems().size(), funtooArm.getMessage());
        String line = funtooArm.problems().get(0);
        assertTrue(line.startsWith("context buildScheduleInput: every scheduled build would fail at its first state:"
                + " Invalid build input (3 problems): "), line);
        assertTrue(line.contains("distribution: funtoo cannot be built for arm64"), line);
        assertTrue(line.contains("image.nam"), line);
        assertTrue(line.contains("bootstrap.hostname"), line);
        InvalidContext unused = assertThrows(InvalidContext.class, () -> config(Map.of(
                BuilderConfig.BUILD_SCHEDULE_INPUT, gentooArm)));
        assertTrue(unused.getMessage().contains("buildSchedule is not"), unused.getMessage());
        InvalidContext notAnObject = assertThrows(InvalidContext.class, () -> config(Map.of(
                BuilderConfig.BUILD_SCHEDULE, "rate(7 days)", BuilderConfig.BUILD_SCHEDULE_INPUT, "[]")));
        assertTrue(notAnObject.getMessage().contains("must be a JSON object"), notAnObject.getMessage());
    }

    @Test
    void aKeyThatLooksLikeOneOfOursIsTakenForATypo() {
        InvalidContext typo = assertThrows(InvalidContext.class, () -> config(Map.of("buildScheduel", "rate(1 day)")));
        assertEquals(java.util.List.of("context buildScheduel: is not a setting of this app; did you mean "
                + "buildSchedule? (a misspelt key is ignored and the default applies)"), typo.problems());
        assertThrows(InvalidContext.class, () -> config(Map.of("NotificationEmail", "builds@example.org")));
        assertThrows(InvalidContext.class, () -> config(Map.of("logRetentionDay", 30)));
        // keys of the CDK and unrelated keys of the user's own stay theirs
        config(Map.of("aws:cdk:enable-path-metadata", true, "@aws-cdk/core:newStyleStackSynthesis", true,
                "myPipelineStage", "prod"));
    }

    @Test
    void eMailAddressesAndBucketNamesFollowTheirServicesRules() {
        assertEquals(Optional.of("builds@example.org"),
                config(Map.of(BuilderConfig.NOTIFICATION_EMAIL, "builds@example.org")).notificationEmail());
        for (String email : java.util.List.of("builds", "builds@example", "a@b.org,c@d.org", "@example.org")) {
            assertThrows(InvalidContext.class, () -> config(Map.of(BuilderConfig.NOTIFICATION_EMAIL, email)), email);
        }
        assertEquals(Optional.of("my-bootstrap.logs"),
                config(Map.of(BuilderConfig.BOOTSTRAP_OUTPUT_BUCKET, "my-bootstrap.logs")).bootstrapOutputBucket());
        for (String bucket : java.util.List.of("ab", "My-Bucket", "my_bucket", "-bucket", "bucket-", "my..bucket",
                "192.168.5.4", "xn--bucket", "bucket-s3alias", "a".repeat(64), "s3://my-bucket")) {
            assertThrows(InvalidContext.class, () -> config(Map.of(BuilderConfig.BOOTSTRAP_OUTPUT_BUCKET, bucket)),
                    bucket);
        }
    }

    @Test
    void scheduleExpressionsFollowEventBridgesDocumentedSyntax() {
        // the examples of https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
        for (String valid : java.util.List.of("cron(0 10 * * ? *)", "cron(15 12 * * ? *)", "cron(0 18 ? * MON-FRI *)",
                "cron(0 8 1 * ? *)", "cron(0/15 * * * ? *)", "cron(0/10 * ? * MON-FRI *)",
                "cron(0/5 8-17 ? * MON-FRI *)", "cron(0 9 ? * 2#1 *)", "cron(0 5 * * ? *)", "cron(0 4 ? * MON *)",
                "cron(0 0 L * ? *)", "cron(0 0 3W * ? *)", "cron(0 0 ? * 6L 2027-2030)", "cron(30 2 ? JAN,JUL SUN *)",
                "rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(1 day)", "rate(7 days)")) {
            assertEquals(Optional.empty(), ScheduleExpression.problem(valid), valid);
        }
        for (String invalid : java.util.List.of("rate(1 hours)", "rate(5 hour)", "rate(0 minutes)", "rate(2 weeks)",
                "rate(1.5 hours)", "cron(0 4 * * MON *)", "cron(0 4 ? * ? *)", "cron(0 4 * * ?)",
                "cron(0 4 * * ? * *)", "cron(60 4 * * ? *)", "cron(0 24 * * ? *)", "cron(0 4 32 * ? *)",
                "cron(0 4 ? FOO MON *)", "cron(0 4 ? * 3#1,6#3 *)", "cron(0 4 ? * 8 *)", "cron(0 4 * * ? 1969)",
                "cron(0 L * * ? *)", "cron(0 4 1W ? MON *)", "cron()", "0 4 * * *", "daily", "cron(0 4 * * ? *) ")) {
            assertTrue(ScheduleExpression.problem(invalid).isPresent(), invalid);
        }
    }

    private static BuilderConfig config(Map<String, Object> context) {
        App app = new App(AppProps.builder().context(context).build());
        return BuilderConfig.from(app.getNode());
    }

}
