package org.funtoo.amibuilder.sim;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The account's service quotas per region, at AWS's defaults unless a test sets them, and the error code AWS
 * answers when a request would pass one. Only the quotas concurrent builds compete for are modelled; each is
 * checked by the operation that would exceed it, before anything is created.
 *
 * <ul>
 *   <li>VPCs per Region: 5, the default VPC included
 *       (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html), {@code VpcLimitExceeded};</li>
 *   <li>internet gateways per Region: 5 (same page), {@code InternetGatewayLimitExceeded};</li>
 *   <li>running On-Demand instances of the Standard family class (A, C, D, H, I, M, R, T, Z), counted in vCPUs
 *       of pending, running, stopping and shutting-down instances: 5 vCPUs, the value a new account starts with
 *       (https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html), {@code VcpuLimitExceeded};
 *       Spot instances of the class have their own 5 vCPUs, {@code MaxSpotInstanceCountExceeded};</li>
 *   <li>concurrent snapshot copies per destination Region: 20
 *       (https://docs.aws.amazon.com/ebs/latest/userguide/ebs-resource-quotas.html); a CopyImage copies its
 *       snapshots, so it counts while its image is pending, {@code ResourceLimitExceeded}.</li>
 * </ul>
 */
public final class SimQuotas {
    /** A modelled quota, its default and AWS's error code. */
    public enum Quota {
        VPCS(5, "VpcLimitExceeded"),
        INTERNET_GATEWAYS(5, "InternetGatewayLimitExceeded"),
        STANDARD_ON_DEMAND_VCPUS(5, "VcpuLimitExceeded"),
        STANDARD_SPOT_VCPUS(5, "MaxSpotInstanceCountExceeded"),
        CONCURRENT_SNAPSHOT_COPIES(20, "ResourceLimitExceeded");

        final int defaultValue;
        final String errorCode;

        Quota(int defaultValue, String errorCode) {
            this.defaultValue = defaultValue;
            this.errorCode = errorCode;
        }

        public int defaultValue() {
            return defaultValue;
        }

        public String errorCode() {
            return errorCode;
        }
    }

    private final Map<Quota, Integer> everywhere = new EnumMap<>(Quota.class);
    private final Map<String, Map<Quota, Integer>> byRegion = new HashMap<>();

    /** Sets a quota in every region (a test's account with an increase, or a tighter one). */
    public synchronized SimQuotas set(Quota quota, int value) {
        everywhere.put(quota, value);
        return this;
    }

    /** Sets a quota in one region only. */
    public synchronized SimQuotas set(String region, Quota quota, int value) {
        byRegion.computeIfAbsent(region, r -> new EnumMap<>(Quota.class)).put(quota, value);
        return this;
    }

    public synchronized int limit(String region, Quota quota) {
        Integer regional = byRegion.getOrDefault(region, Map.of()).get(quota);
        if (regional != null) {
            return regional;
        }
        return everywhere.getOrDefault(quota, quota.defaultValue);
    }

    /** Whether {@code inUse + adding} stays within the quota. */
    boolean allows(String region, Quota quota, int inUse, int adding) {
        return inUse + adding <= limit(region, quota);
    }
}
