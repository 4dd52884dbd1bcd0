package org.funtoo.amibuilder.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.Device;
import org.funtoo.amibuilder.sim.Ec2Resources.Image;
import org.funtoo.amibuilder.sim.Ec2Resources.Instance;
import org.funtoo.amibuilder.sim.Ec2Resources.InternetGateway;
import org.funtoo.amibuilder.sim.Ec2Resources.RouteTable;
import org.funtoo.amibuilder.sim.Ec2Resources.SecurityGroup;
import org.funtoo.amibuilder.sim.Ec2Resources.Snapshot;
import org.funtoo.amibuilder.sim.Ec2Resources.Subnet;
import org.funtoo.amibuilder.sim.Ec2Resources.Tagged;
import org.funtoo.amibuilder.sim.Ec2Resources.Volume;
import org.funtoo.amibuilder.sim.Ec2Resources.Vpc;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * Everything one simulated EC2 region holds, and what every operation needs: the clock, id minting, ARNs, error
 * reporting through the account's call log, id lookup with AWS's Malformed/NotFound codes, and {@link #settle()},
 * which advances instances to where the clock says they are.
 */
final class Ec2Region {
    /** AWS keeps showing a terminated instance for about an hour. */
    static final Duration TERMINATED_VISIBLE = Duration.ofHours(1);

    final SimAws aws;
    final SimEc2 service;
    final String name;
    final Ec2Ids ids;
    final Ec2Catalogue catalogue;

    final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    final Map<String, Subnet> subnets = new LinkedHashMap<>();
    final Map<String, InternetGateway> internetGateways = new LinkedHashMap<>();
    final Map<String, RouteTable> routeTables = new LinkedHashMap<>();
    final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
    final Map<String, Instance> instances = new LinkedHashMap<>();
    final Map<String, Volume> volumes = new LinkedHashMap<>();
    final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    final Map<String, Image> images = new LinkedHashMap<>();

    /** Scenario hooks: how instances of an image boot, and which of the next snapshots/images fail. */
    final Map<String, BootBehaviour> bootByImage = new HashMap<>();
    BootBehaviour defaultBoot = BootBehaviour.boots("Linux version 6.x (simulated)\nlogin: ");
    int failNextSnapshots;
    int failNextImages;

    Ec2Region(SimAws aws, SimEc2 service, String name) {
        this.aws = aws;
        this.service = service;
        this.name = name;
        this.ids = new Ec2Ids(name);
        this.catalogue = new Ec2Catalogue(name);
    }

    Instant now() {
        return aws.clock().instant();
    }

    SimTimings timings() {
        return aws.timings();
    }

    String accountId() {
        return SimAws.ACCOUNT_ID;
    }

    RuntimeException fail(CallLog.Call call, String code, String message) {
        return aws.fail(service, call, code, message);
    }

    /** Fails with the quota's error code unless {@code adding} more fit beside {@code inUse}. */
    void requireQuota(CallLog.Call call, SimQuotas.Quota quota, int inUse, int adding, String what) {
        if (!aws.quotas().allows(name, quota, inUse, adding)) {
            throw fail(call, quota.errorCode(), what + ": the limit of " + aws.quotas().limit(name, quota)
                    + " in " + name + " has been reached (" + inUse + " in use)");
        }
    }

    Ec2Tags.Errors errors(CallLog.Call call) {
        return (code, message) -> fail(call, code, message);
    }

    Function<String, RuntimeException> invalidParameter(CallLog.Call call) {
        return message -> fail(call, "InvalidParameterValue", message);
    }

    /** IAM resource ARN; images and snapshots have no account in theirs. */
    String arn(String type, String id) {
        boolean accountless = type.equals("image") || type.equals("snapshot");
        return "arn:aws:ec2:" + name + ":" + (accountless ? "" : accountId()) + ":" + type + "/" + id;
    }

    void touch(CallLog.Call call, Kind kind, Tagged resource) {
        call.touched(arn(kind.arnType, resource.id), resource.tags);
    }

    /** The resource with this id, or AWS's Malformed / NotFound error. */
    <T> T require(CallLog.Call call, Map<String, T> map, Kind kind, String id) {
        return requireAll(call, map, kind, List.of(id == null ? "" : id)).get(0);
    }

    /**
     * All of these ids, in order. Syntax is checked before existence, and one unknown id fails the whole call:
     * EC2 never returns a partial set for explicit ids.
     */
    <T> List<T> requireAll(CallLog.Call call, Map<String, T> map, Kind kind, Collection<String> ids) {
        for (String id : ids) {
            if (!kind.isWellFormed(id)) {
                throw fail(call, kind.malformed, "Invalid id: \"" + id + "\"");
            }
        }
        List<String> missing = ids.stream().filter(id -> !map.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw fail(call, kind.notFound, "The " + kind.noun + " '" + String.join(", ", missing)
                    + "' does not exist");
        }
        return ids.stream().distinct().map(map::get).toList();
    }

    /** The explicit ids if given (each must exist), else every resource; then the filters. */
    <T> List<T> select(CallLog.Call call, Map<String, T> map, Kind kind, List<String> ids,
                       Predicate<T> filter) {
        Collection<T> base = ids == null || ids.isEmpty() ? map.values() : requireAll(call, map, kind, ids);
        return base.stream().filter(filter).toList();
    }

    /** The resources of one kind, for operations that take ids of any kind (CreateTags). */
    Map<String, ? extends Tagged> resources(Kind kind) {
        return switch (kind) {
            case VPC -> vpcs;
            case SUBNET -> subnets;
            case INTERNET_GATEWAY -> internetGateways;
            case ROUTE_TABLE -> routeTables;
            case SECURITY_GROUP -> groups;
            case INSTANCE -> instances;
            case VOLUME -> volumes;
            case SNAPSHOT -> snapshots;
            case IMAGE -> images;
        };
    }

    /** Advances every instance to the state the clock says it is in, with the side effects of termination. */
    void settle() {
        Instant now = now();
        for (Iterator<Instance> it = instances.values().iterator(); it.hasNext(); ) {
            Instance i = it.next();
            if (i.state == InstanceStateName.PENDING && !now.isBefore(i.runningAt)) {
                i.state = InstanceStateName.RUNNING;
            }
            if (i.state == InstanceStateName.STOPPING && !now.isBefore(i.transitionEndsAt)) {
                i.state = InstanceStateName.STOPPED;
                // an auto-assigned public address does not survive a stop
                i.publicIp = null;
            }
            if (i.state == InstanceStateName.SHUTTING_DOWN && !now.isBefore(i.transitionEndsAt)) {
                finishTermination(i);
            }
            if (i.state == InstanceStateName.TERMINATED && !now.isBefore(i.terminatedAt.plus(TERMINATED_VISIBLE))) {
                it.remove();
            }
        }
    }

    private void finishTermination(Instance i) {
        i.state = InstanceStateName.TERMINATED;
        i.terminatedAt = i.transitionEndsAt;
        i.publicIp = null;
        for (Device d : new ArrayList<>(i.devices)) {
            Volume v = volumes.get(d.volumeId());
            if (v == null || v.attachment == null || !v.attachment.instanceId().equals(i.id)) {
                continue;
            }
            if (v.attachment.deleteOnTermination()) {
                volumes.remove(v.id);
            } else {
                v.attachment = null;
            }
        }
        i.devices.clear();
    }

    /** Instances whose network interface still exists (everything not yet terminated). */
    List<Instance> instancesHoldingInterfaces() {
        return instances.values().stream().filter(Instance::holdsNetworkInterface).toList();
    }

    String availabilityZoneId(String zone) {
        return catalogue.zoneId(zone);
    }
}
