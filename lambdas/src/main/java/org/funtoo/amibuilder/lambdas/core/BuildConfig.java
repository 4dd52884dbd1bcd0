package org.funtoo.amibuilder.lambdas.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed view of {@code config}, the validated and defaulted input written by {@code ValidateInputHandler}.
 * Fields are read when asked for, so cleanup handlers work with a config that holds only {@code buildId} (the
 * janitor's cleanup starts from {@code {config: {buildId}, resources: {}}}).
 */
public final class BuildConfig {
    private final Section config;

    public BuildConfig(Section config) {
        this.config = config;
    }

    public String buildId() {
        return config.requireString("buildId");
    }

    public String region() {
        return config.requireString("region");
    }

    public Instant startedAt() {
        return Instant.parse(config.requireString("startedAt"));
    }

    public String distribution() {
        return config.requireString("distribution");
    }

    /** {@code x86_64} or {@code arm64}: the EC2 spelling, used for images and instance types alike. */
    public String architecture() {
        return config.requireString("architecture");
    }

    public boolean keepResources() {
        return config.bool("keepResources", false);
    }

    public Optional<String> stage3Url() {
        return stage3().string("url");
    }

    public Optional<String> stage3BaseUrl() {
        return stage3().string("baseUrl");
    }

    public Optional<String> stage3Release() {
        return stage3().string("release");
    }

    public Optional<String> stage3Subarch() {
        return stage3().string("subarch");
    }

    public Optional<String> stage3Sha256() {
        return stage3().string("sha256");
    }

    public boolean verifySignature() {
        return stage3().bool("verifySignature", true);
    }

    public String imageName() {
        return image().requireString("name");
    }

    public String imageDescription() {
        return image().requireString("description");
    }

    public int volumeSizeGiB() {
        return (int) image().number("volumeSizeGiB", 0);
    }

    /** {@code legacy-bios}, {@code uefi} or {@code uefi-preferred}: the EC2 BootModeValues spelling. */
    public String bootMode() {
        return image().requireString("bootMode");
    }

    public boolean encrypted() {
        return image().bool("encrypted", false);
    }

    public Optional<String> kmsKeyId() {
        return image().string("kmsKeyId");
    }

    public Map<String, String> imageTags() {
        return image().stringMap("tags");
    }

    public boolean temporaryNetwork() {
        return network().bool("temporary", true);
    }

    public Optional<String> subnetId() {
        return network().string("subnetId");
    }

    public Optional<String> securityGroupId() {
        return network().string("securityGroupId");
    }

    public String helperInstanceType() {
        return helper().requireString("instanceType");
    }

    public Optional<String> helperImageId() {
        return helper().string("imageId");
    }

    public boolean spot() {
        return helper().bool("spot", false);
    }

    public String hostname() {
        return bootstrap().requireString("hostname");
    }

    /** The build's own limit on the bootstrap run; empty: the stack's default (the document's). */
    public java.util.OptionalInt timeoutMinutes() {
        return bootstrap().number("timeoutMinutes").map(m -> java.util.OptionalInt.of(m.intValue()))
                .orElse(java.util.OptionalInt.empty());
    }

    public List<String> extraPackages() {
        return bootstrap().strings("extraPackages");
    }

    public boolean smokeTestEnabled() {
        return config.section("smokeTest").bool("enabled", false);
    }

    public String smokeTestInstanceType() {
        return config.section("smokeTest").requireString("instanceType");
    }

    public Optional<String> ssmParameterName() {
        return config.section("publish").string("ssmParameterName");
    }

    /**
     * What makes images of this build "the same product" for retention: distribution, architecture and the name
     * template ({@code funtoo/x86_64/funtoo-next-x86_64-{timestamp}}), written by the validator.
     */
    public String imageFamily() {
        return image().requireString("family");
    }

    public List<String> launchPermissionAccountIds() {
        return publish().strings("launchPermissionAccountIds");
    }

    public boolean publicImage() {
        return publish().bool("public", false);
    }

    /** Empty when no copies were asked for, and in a janitor's config; see {@link #knownCopyRegions()}. */
    public List<String> copyToRegions() {
        return publish().strings("copyToRegions");
    }

    /**
     * The copy regions the build's input named ({@code []}: no copies), or empty when the document does not say:
     * the janitor's {@code {buildId}} config has no {@code publish} at all. The validator always writes
     * {@code publish.copyToRegions}, so only its absence means "unknown"; an empty list means "none".
     */
    public Optional<List<String>> knownCopyRegions() {
        return publish().has("copyToRegions") ? Optional.of(copyToRegions()) : Optional.empty();
    }

    public Optional<Integer> keepLatest() {
        return publish().number("keepLatest").map(Long::intValue);
    }

    public Optional<Integer> deprecateAfterDays() {
        return publish().number("deprecateAfterDays").map(Long::intValue);
    }

    private Section publish() {
        return config.section("publish");
    }

    private Section stage3() {
        return config.section("stage3");
    }

    private Section image() {
        return config.section("image");
    }

    private Section network() {
        return config.section("network");
    }

    private Section helper() {
        return config.section("helper");
    }

    private Section bootstrap() {
        return config.section("bootstrap");
    }
}
