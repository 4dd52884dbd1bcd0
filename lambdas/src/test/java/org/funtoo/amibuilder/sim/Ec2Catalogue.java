package org.funtoo.amibuilder.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.DescribeAvailabilityZonesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeAvailabilityZonesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypeOfferingsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypeOfferingsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceTypesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeRegionsResponse;
import software.amazon.awssdk.services.ec2.model.EbsInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeOffering;
import software.amazon.awssdk.services.ec2.model.MemoryInfo;
import software.amazon.awssdk.services.ec2.model.NetworkInfo;
import software.amazon.awssdk.services.ec2.model.ProcessorInfo;
import software.amazon.awssdk.services.ec2.model.Region;
import software.amazon.awssdk.services.ec2.model.VCpuInfo;

/**
 * The region's fixed facts: three availability zones ({@code <region>a..c}) and a small catalogue of Nitro
 * instance types, four per architecture, and two Xen ones (x86_64), offered in every zone unless a test removes an offering. And the
 * account's: which regions it has ({@link #describeRegions}).
 */
final class Ec2Catalogue {
    /** The regions every account has enabled, needing no opt-in: what DescribeRegions lists by default. */
    static final List<String> ENABLED_REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1");
    /** Opt-in regions this account has not opted in to: listed only with {@code AllRegions}. */
    static final List<String> NOT_OPTED_IN_REGIONS = List.of("af-south-1", "ap-east-1", "eu-south-1",
            "me-south-1");

    /** An instance type; {@code hypervisor} {@code nitro} or {@code xen} (previous generation: BIOS only, no ENA needed). */
    record TypeSpec(String name, String architecture, int vcpus, long memoryMib, boolean burstable, String hypervisor) {
        TypeSpec(String name, String architecture, int vcpus, long memoryMib, boolean burstable) {
            this(name, architecture, vcpus, memoryMib, burstable, "nitro");
        }

        boolean nitro() {
            return hypervisor.equals("nitro");
        }

        List<String> bootModes() {
            if (!nitro()) {
                return List.of("legacy-bios");
            }
            return architecture.equals("arm64") ? List.of("uefi") : List.of("legacy-bios", "uefi");
        }
    }

    static final List<TypeSpec> TYPES = List.of(
            new TypeSpec("t3.micro", "x86_64", 2, 1024, true),
            new TypeSpec("t3.small", "x86_64", 2, 2048, true),
            new TypeSpec("m5.large", "x86_64", 2, 8192, false),
            new TypeSpec("c5.large", "x86_64", 2, 4096, false),
            new TypeSpec("t4g.micro", "arm64", 2, 1024, true),
            new TypeSpec("t4g.small", "arm64", 2, 2048, true),
            new TypeSpec("m6g.large", "arm64", 2, 8192, false),
            new TypeSpec("c6g.large", "arm64", 2, 4096, false),
            // Xen, previous generation: what someone may still pick for a cheap smoke test
            new TypeSpec("t2.micro", "x86_64", 1, 1024, true, "xen"),
            new TypeSpec("m4.large", "x86_64", 2, 8192, false, "xen"));

    private final String region;
    private final List<String> zones;
    private final Set<String> removedOfferings = new HashSet<>();

    Ec2Catalogue(String region) {
        this.region = region;
        this.zones = List.of(region + "a", region + "b", region + "c");
    }

    List<String> zones() {
        return zones;
    }

    boolean isZone(String zone) {
        return zones.contains(zone);
    }

    /** Zone ids like AWS's {@code use1-az1}: region initials + digit, then the zone's position. */
    String zoneId(String zone) {
        String[] parts = region.split("-");
        StringBuilder abbreviation = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length - 1; i++) {
            abbreviation.append(parts[i].charAt(0));
        }
        abbreviation.append(parts[parts.length - 1]);
        return abbreviation + "-az" + (zones.indexOf(zone) + 1);
    }

    Optional<TypeSpec> type(String name) {
        return TYPES.stream().filter(t -> t.name.equals(name)).findFirst();
    }

    boolean offered(String type, String zone) {
        return type(type).isPresent() && isZone(zone) && !removedOfferings.contains(type + "@" + zone);
    }

    void removeOffering(String type, String zone) {
        removedOfferings.add(type + "@" + zone);
    }

    DescribeAvailabilityZonesResponse describeAvailabilityZones(Ec2Region r, CallLog.Call call,
                                                                DescribeAvailabilityZonesRequest q) {
        for (String zone : q.zoneNames()) {
            if (!isZone(zone)) {
                throw r.fail(call, "InvalidParameterValue", "The zone '" + zone + "' does not exist.");
            }
        }
        Predicate<AvailabilityZone> filter = Ec2Filters.<AvailabilityZone>untagged()
                .on("zone-name", AvailabilityZone::zoneName)
                .on("zone-id", AvailabilityZone::zoneId)
                .on("state", AvailabilityZone::stateAsString)
                .on("region-name", AvailabilityZone::regionName)
                .on("zone-type", AvailabilityZone::zoneType)
                .on("opt-in-status", AvailabilityZone::optInStatusAsString)
                .on("group-name", AvailabilityZone::groupName)
                .matcher(q.filters(), r.invalidParameter(call));
        List<AvailabilityZone> out = zones.stream()
                .filter(z -> q.zoneNames().isEmpty() || q.zoneNames().contains(z))
                .map(z -> AvailabilityZone.builder().zoneName(z).zoneId(zoneId(z)).state("available")
                        .regionName(region).zoneType("availability-zone").optInStatus("opt-in-not-required")
                        .groupName(region).networkBorderGroup(region).messages(List.of()).build())
                .filter(z -> q.zoneIds().isEmpty() || q.zoneIds().contains(z.zoneId()))
                .filter(filter).toList();
        return DescribeAvailabilityZonesResponse.builder().availabilityZones(out).build();
    }

    /**
     * Like AWS: the enabled regions ({@code opt-in-not-required}), with {@code AllRegions} the disabled ones too
     * ({@code not-opted-in}); {@code RegionNames} picks regions by name, an unknown name fails the call.
     */
    static DescribeRegionsResponse describeRegions(Ec2Region r, CallLog.Call call, DescribeRegionsRequest q) {
        List<String> unknown = q.regionNames().stream()
                .filter(n -> !ENABLED_REGIONS.contains(n) && !NOT_OPTED_IN_REGIONS.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw r.fail(call, "InvalidParameterValue", "Invalid region: " + unknown);
        }
        Predicate<Region> filter = Ec2Filters.<Region>untagged()
                .on("region-name", Region::regionName)
                .on("endpoint", Region::endpoint)
                .on("opt-in-status", Region::optInStatus)
                .matcher(q.filters(), r.invalidParameter(call));
        List<Region> all = new ArrayList<>();
        ENABLED_REGIONS.forEach(n -> all.add(region(n, "opt-in-not-required")));
        NOT_OPTED_IN_REGIONS.forEach(n -> all.add(region(n, "not-opted-in")));
        boolean everyRegion = Boolean.TRUE.equals(q.allRegions());
        List<Region> out = all.stream()
                .filter(g -> q.regionNames().isEmpty() ? everyRegion || ENABLED_REGIONS.contains(g.regionName())
                        : q.regionNames().contains(g.regionName()))
                .filter(filter).toList();
        return DescribeRegionsResponse.builder().regions(out).build();
    }

    private static Region region(String name, String optInStatus) {
        return Region.builder().regionName(name).endpoint("ec2." + name + ".amazonaws.com").optInStatus(optInStatus)
                .build();
    }

    DescribeInstanceTypeOfferingsResponse describeInstanceTypeOfferings(Ec2Region r, CallLog.Call call,
                                                                        DescribeInstanceTypeOfferingsRequest q) {
        String locationType = q.locationTypeAsString() == null ? "region" : q.locationTypeAsString();
        List<InstanceTypeOffering> all = new ArrayList<>();
        for (TypeSpec type : TYPES) {
            switch (locationType) {
                case "region" -> {
                    if (zones.stream().anyMatch(z -> offered(type.name, z))) {
                        all.add(offering(type.name, locationType, region));
                    }
                }
                case "availability-zone", "availability-zone-id" -> zones.stream()
                        .filter(z -> offered(type.name, z))
                        .forEach(z -> all.add(offering(type.name, locationType,
                                locationType.equals("availability-zone") ? z : zoneId(z))));
                default -> throw r.fail(call, "InvalidParameterValue",
                        "Value (" + locationType + ") for parameter locationType is invalid.");
            }
        }
        Predicate<InstanceTypeOffering> filter = Ec2Filters.<InstanceTypeOffering>untagged()
                .on("location", InstanceTypeOffering::location)
                .on("instance-type", InstanceTypeOffering::instanceTypeAsString)
                .matcher(q.filters(), r.invalidParameter(call));
        Ec2Page<InstanceTypeOffering> page = Ec2Page.of(all.stream().filter(filter).toList(), q.maxResults(),
                q.nextToken(), r.invalidParameter(call));
        return DescribeInstanceTypeOfferingsResponse.builder().instanceTypeOfferings(page.items())
                .nextToken(page.nextToken()).build();
    }

    private static InstanceTypeOffering offering(String type, String locationType, String location) {
        return InstanceTypeOffering.builder().instanceType(type).locationType(locationType).location(location)
                .build();
    }

    DescribeInstanceTypesResponse describeInstanceTypes(Ec2Region r, CallLog.Call call,
                                                        DescribeInstanceTypesRequest q) {
        List<String> unknown = q.instanceTypesAsStrings().stream().filter(t -> type(t).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw r.fail(call, "InvalidInstanceType",
                    "The following supplied instance types do not exist: " + unknown);
        }
        Predicate<InstanceTypeInfo> filter = Ec2Filters.<InstanceTypeInfo>untagged()
                .on("instance-type", InstanceTypeInfo::instanceTypeAsString)
                .on("processor-info.supported-architecture",
                        i -> i.processorInfo().supportedArchitecturesAsStrings())
                .on("current-generation", InstanceTypeInfo::currentGeneration)
                .on("burstable-performance-supported", InstanceTypeInfo::burstablePerformanceSupported)
                .on("supported-boot-mode", InstanceTypeInfo::supportedBootModesAsStrings)
                .on("hypervisor", InstanceTypeInfo::hypervisorAsString)
                .on("vcpu-info.default-vcpus", i -> i.vCpuInfo().defaultVCpus())
                .on("memory-info.size-in-mib", i -> i.memoryInfo().sizeInMiB())
                .matcher(q.filters(), r.invalidParameter(call));
        List<InstanceTypeInfo> all = TYPES.stream()
                .filter(t -> q.instanceTypesAsStrings().isEmpty() || q.instanceTypesAsStrings().contains(t.name))
                .map(Ec2Catalogue::info).filter(filter).toList();
        Ec2Page<InstanceTypeInfo> page = Ec2Page.of(all, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeInstanceTypesResponse.builder().instanceTypes(page.items()).nextToken(page.nextToken())
                .build();
    }

    private static InstanceTypeInfo info(TypeSpec t) {
        return InstanceTypeInfo.builder()
                .instanceType(t.name).currentGeneration(t.nitro()).bareMetal(false).hypervisor(t.hypervisor)
                .freeTierEligible(t.name.equals("t3.micro"))
                .supportedUsageClassesWithStrings("on-demand", "spot").supportedRootDeviceTypesWithStrings("ebs")
                .supportedVirtualizationTypesWithStrings("hvm")
                .processorInfo(ProcessorInfo.builder().supportedArchitecturesWithStrings(t.architecture).build())
                .vCpuInfo(VCpuInfo.builder().defaultVCpus(t.vcpus).build())
                .memoryInfo(MemoryInfo.builder().sizeInMiB(t.memoryMib).build())
                .instanceStorageSupported(false)
                .ebsInfo(EbsInfo.builder().ebsOptimizedSupport("default").encryptionSupport("supported")
                        .nvmeSupport(t.nitro() ? "required" : "unsupported").build())
                .networkInfo(NetworkInfo.builder().enaSupport(t.nitro() ? "required" : "unsupported").build())
                .burstablePerformanceSupported(t.burstable)
                .supportedBootModesWithStrings(t.bootModes())
                .build();
    }
}
