package org.funtoo.amibuilder.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
        Map<String, Object> context = contextOfCdkJson();
        assertEquals(java.util.Set.of(BuilderConfig.BUILD_TIMEOUT_HOURS, BuilderConfig.BOOTSTRAP_TIMEOUT_MINUTES,
                BuilderConfig.LOG_RETENTION_DAYS, BuilderConfig.NOTIFICATION_EMAIL, BuilderConfig.BUILD_SCHEDULE,
                BuilderConfig.BUILD_SCHEDULE_INPUT, BuilderConfig.JANITOR_SCHEDULE,
                BuilderConfig.BOOTSTRAP_OUTPUT_BUCKET, BuilderConfig.HELPER_IMAGE_OWNERS), context.keySet());
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

    private static BuilderConfig config(Map<String, Object> context) {
        App app = new App(AppProps.builder().context(context).build());
        return BuilderConfig.from(app.getNode());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> contextOfCdkJson() {
        Path cdkJson = RepoLayout.locate().root().resolve("cdk.json");
        return (Map<String, Object>) SynthesizedApp.readJson(cdkJson).get("context");
    }
}
