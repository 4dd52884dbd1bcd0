package org.funtoo.amibuilder.lambdas.input;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.InstanceTypeOffering;
import software.amazon.awssdk.services.ec2.model.LocationType;

/**
 * The preflight checks on instance types shared by both network paths: the helper's (and the smoke test's) type
 * exists, runs the build's architecture, and is offered in the zone the build will use.
 */
public final class InstanceTypes {
    private final Ec2Client ec2;

    public InstanceTypes(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** The types the build launches in its one zone: the helper, and the smoke-test instance when enabled. */
    public static List<String> launched(BuildConfig config) {
        return config.smokeTestEnabled() && !config.smokeTestInstanceType().equals(config.helperInstanceType())
                ? List.of(config.helperInstanceType(), config.smokeTestInstanceType())
                : List.of(config.helperInstanceType());
    }

    /** Checks every type runs {@code architecture}; returns each type's hypervisor ({@code nitro}, {@code xen}). */
    public Map<String, String> requireArchitecture(List<String> types, String architecture) {
        List<InstanceTypeInfo> infos;
        try {
            infos = ec2.describeInstanceTypes(r -> r.instanceTypesWithStrings(types)).instanceTypes();
        } catch (AwsServiceException e) {
            if (AwsErrors.code(e).startsWith("InvalidInstanceType")) {
                throw BuildFailure.of(ErrorName.PreflightFailed, "instance type " + String.join(" or ", types)
                        + " does not exist in this region: " + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
        Map<String, String> hypervisors = new LinkedHashMap<>();
        for (String type : types) {
            InstanceTypeInfo info = infos.stream().filter(i -> type.equals(i.instanceTypeAsString())).findFirst()
                    .orElseThrow(() -> BuildFailure.of(ErrorName.PreflightFailed,
                            "instance type " + type + " does not exist in this region"));
            List<String> architectures = info.processorInfo().supportedArchitecturesAsStrings();
            if (!architectures.contains(architecture)) {
                throw BuildFailure.of(ErrorName.PreflightFailed, "instance type " + type + " runs "
                        + String.join("/", architectures) + ", not " + architecture
                        + " (set helper.instanceType / smokeTest.instanceType to a " + architecture + " type)");
            }
            hypervisors.put(type, info.hypervisorAsString());
        }
        return hypervisors;
    }

    /** The preflight's facts for the later states: where the smoke test's console must be read from. */
    public static Resources withSmokeTestHypervisor(Resources resources, BuildConfig config, Map<String, String> hypervisors) {
        String hypervisor = hypervisors.get(config.smokeTestInstanceType());
        return config.smokeTestEnabled() && hypervisor != null
                ? resources.with(Resources.SMOKE_TEST_HYPERVISOR, hypervisor) : resources;
    }

    /** Zones (sorted) among {@code zones} where every one of {@code types} is offered. */
    public Set<String> zonesOffering(List<String> types, List<String> zones) {
        List<InstanceTypeOffering> offerings = ec2.describeInstanceTypeOfferings(r -> r
                .locationType(LocationType.AVAILABILITY_ZONE)
                .filters(Tags.filter("instance-type", types), Tags.filter("location", zones)))
                .instanceTypeOfferings();
        return zones.stream()
                .filter(zone -> types.stream().allMatch(type -> offerings.stream().anyMatch(o ->
                        zone.equals(o.location()) && type.equals(o.instanceTypeAsString()))))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
