package org.funtoo.amibuilder.lambdas.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code resources} map of the state document: ids of what this execution created, and facts resolved on the
 * way that later states need. Create/resolve/cleanup handlers return the whole map, updated.
 */
public final class Resources {
    public static final String HELPER_IMAGE_ID = "helperImageId";
    public static final String AVAILABILITY_ZONE = "availabilityZone";
    public static final String HELPER_INSTANCE_TYPE = "helperInstanceType";
    /**
     * {@code nitro} or {@code xen}: the smoke test's instance type's hypervisor, resolved at preflight. Only Nitro
     * instances serve the latest console output; a Xen one serves the snapshot EC2 posts.
     */
    public static final String SMOKE_TEST_HYPERVISOR = "smokeTestHypervisor";
    public static final String VPC_ID = "vpcId";
    public static final String SUBNET_ID = "subnetId";
    public static final String INTERNET_GATEWAY_ID = "internetGatewayId";
    public static final String ROUTE_TABLE_ID = "routeTableId";
    public static final String SECURITY_GROUP_ID = "securityGroupId";
    public static final String INSTANCE_ID = "instanceId";
    public static final String TEST_INSTANCE_ID = "testInstanceId";
    /** Copied by the workflow from {@code poll.targetVolumeId} once the helper runs. */
    public static final String TARGET_VOLUME_ID = "targetVolumeId";
    public static final String COMMAND_ID = "commandId";
    /** Copied by the workflow from {@code poll.stage3Url} / {@code poll.stage3Sha256} when the bootstrap succeeded. */
    public static final String STAGE3_URL = "stage3Url";
    public static final String STAGE3_SHA256 = "stage3Sha256";
    public static final String SNAPSHOT_ID = "snapshotId";
    public static final String IMAGE_ID = "imageId";
    /**
     * Copied by the workflow from {@code poll.bootstrapPhases}: the bootstrap's phase timings as its result line
     * gave them ({@code check-helper:3,...}; {@code ""}: none), for the output's timeline.
     */
    public static final String BOOTSTRAP_PHASES = "bootstrapPhases";
    /** The image's copies in other regions: {@code {region: imageId}}. */
    public static final String COPIES = "copies";

    private final Map<String, Object> map;

    Resources(Map<String, Object> map) {
        this.map = new LinkedHashMap<>(map);
    }

    public Optional<String> get(String key) {
        Object v = map.get(key);
        return v instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new IllegalStateException("resources." + key + " is missing"));
    }

    /** A map of strings ({@link #COPIES}); empty when absent. */
    public Map<String, String> strings(String key) {
        return Section.of("resources", map).stringMap(key);
    }

    public Resources with(String key, Map<String, String> value) {
        map.put(key, new LinkedHashMap<>(value));
        return this;
    }

    public Resources with(String key, String value) {
        map.put(key, value);
        return this;
    }

    public Resources without(String key) {
        map.remove(key);
        return this;
    }

    public Map<String, Object> toMap() {
        return new LinkedHashMap<>(map);
    }
}
