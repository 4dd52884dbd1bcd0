package org.funtoo.amibuilder.lambdas.input;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;

/**
 * Preflight for the temporary network: the zone to build in, chosen so that the helper's instance type (and the
 * smoke test's) is offered there; the first such zone by name, so a retry picks the same one.
 */
public final class SelectAvailabilityZoneHandler extends Handler {
    private final Ec2Client ec2;

    public SelectAvailabilityZoneHandler() {
        this(HandlerDependencies.lambda());
    }

    public SelectAvailabilityZoneHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PreflightFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        InstanceTypes instanceTypes = new InstanceTypes(ec2);
        List<String> types = InstanceTypes.launched(config);
        Map<String, String> hypervisors = instanceTypes.requireArchitecture(types, config.architecture());
        List<String> zones = ec2.describeAvailabilityZones(r -> r.filters(
                        Tags.filter("state", "available"), Tags.filter("zone-type", "availability-zone")))
                .availabilityZones().stream().map(AvailabilityZone::zoneName).sorted().toList();
        Set<String> offered = instanceTypes.zonesOffering(types, zones);
        if (offered.isEmpty()) {
            throw BuildFailure.of(ErrorName.PreflightFailed, "no availability zone of " + config.region()
                    + " offers " + String.join(" and ", types));
        }
        return InstanceTypes.withSmokeTestHypervisor(doc.resources(), config, hypervisors)
                .with(Resources.AVAILABILITY_ZONE, offered.iterator().next())
                .with(Resources.HELPER_INSTANCE_TYPE, config.helperInstanceType())
                .toMap();
    }
}
