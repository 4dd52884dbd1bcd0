package org.funtoo.amibuilder.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.Attachment;
import org.funtoo.amibuilder.sim.Ec2Resources.Device;
import org.funtoo.amibuilder.sim.Ec2Resources.Instance;
import org.funtoo.amibuilder.sim.Ec2Resources.Snapshot;
import org.funtoo.amibuilder.sim.Ec2Resources.Volume;
import software.amazon.awssdk.services.ec2.model.AttachVolumeRequest;
import software.amazon.awssdk.services.ec2.model.AttachVolumeResponse;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotRequest;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.CreateVolumeRequest;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVolumeRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVolumeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVolumesResponse;
import software.amazon.awssdk.services.ec2.model.DetachVolumeRequest;
import software.amazon.awssdk.services.ec2.model.DetachVolumeResponse;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ModifySnapshotAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifySnapshotAttributeResponse;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * EBS volumes and snapshots. A volume attached to an instance is {@code in-use} and cannot be deleted; a snapshot
 * runs {@code pending} with growing progress to {@code completed} over {@code timings.snapshot} (never, when that
 * is null), and cannot be deleted while a registered image uses it. Snapshots are shared through their create
 * volume permissions (account ids; {@code all} only when unencrypted).
 */
final class Ec2Storage {
    /** AWS spaces snapshots of one volume at least 15 seconds apart. */
    private static final Duration SNAPSHOT_SPACING = Duration.ofSeconds(15);
    private static final Set<String> VOLUME_TYPES = Set.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** AWS's limit on the account ids and groups one request may add or remove. */
    private static final int MAX_PERMISSION_CHANGES = 500;

    private final Ec2Region r;

    Ec2Storage(Ec2Region region) {
        this.r = region;
    }

    // ---- volumes

    CreateVolumeResponse createVolume(CallLog.Call call, CreateVolumeRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("volume"), r.errors(call));
        if (q.availabilityZone() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter AvailabilityZone");
        }
        if (!r.catalogue.isZone(q.availabilityZone())) {
            throw r.fail(call, "InvalidZone.NotFound", "The zone '" + q.availabilityZone() + "' does not exist.");
        }
        Integer size = q.size();
        if (q.snapshotId() != null) {
            Snapshot snapshot = r.require(call, r.snapshots, Kind.SNAPSHOT, q.snapshotId());
            r.touch(call, Kind.SNAPSHOT, snapshot);
            if (snapshot.state(r.now()) != SnapshotState.COMPLETED) {
                throw r.fail(call, "IncorrectState", "Snapshot is in invalid state - " + snapshot.state(r.now()));
            }
            if (size != null && size < snapshot.volumeSize) {
                throw r.fail(call, "InvalidParameterValue", "Volume of " + size + "GiB is smaller than snapshot "
                        + snapshot.id + " (" + snapshot.volumeSize + "GiB)");
            }
            size = size != null ? size : snapshot.volumeSize;
        }
        if (size == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter size or snapshotId");
        }
        String type = q.volumeTypeAsString() == null ? "gp2" : q.volumeTypeAsString();
        if (!VOLUME_TYPES.contains(type) || size < 1 || size > 16384) {
            throw r.fail(call, "InvalidParameterValue", "Invalid volume type " + type + " or size " + size);
        }
        Volume v = new Volume(r.ids.next("vol"), tags.getOrDefault("volume", Map.of()), q.availabilityZone(), size,
                type, q.snapshotId(), r.now(), r.now().plus(r.timings().volumeCreating),
                Boolean.TRUE.equals(q.encrypted()), q.iops(), q.throughput());
        r.volumes.put(v.id, v);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.VOLUME, v);
        var d = describe(v);
        return CreateVolumeResponse.builder().volumeId(d.volumeId()).size(d.size()).snapshotId(d.snapshotId())
                .availabilityZone(d.availabilityZone()).state(d.state()).createTime(d.createTime())
                .volumeType(d.volumeType()).encrypted(d.encrypted()).iops(d.iops()).throughput(d.throughput())
                .multiAttachEnabled(false).tags(d.tags()).build();
    }

    private software.amazon.awssdk.services.ec2.model.Volume describe(Volume v) {
        List<VolumeAttachment> attachments = v.attachment == null ? List.of() : List.of(attachment(v, v.attachment));
        return software.amazon.awssdk.services.ec2.model.Volume.builder()
                .volumeId(v.id).size(v.size).snapshotId(v.snapshotId == null ? "" : v.snapshotId)
                .availabilityZone(v.availabilityZone).availabilityZoneId(r.availabilityZoneId(v.availabilityZone))
                .state(v.state(r.now())).createTime(v.createTime).attachments(attachments).volumeType(v.volumeType)
                .iops(v.iops).throughput(v.throughput).encrypted(v.encrypted).multiAttachEnabled(false)
                .tags(Ec2Tags.sdk(v.tags)).build();
    }

    private VolumeAttachment attachment(Volume v, Attachment a) {
        Instance i = r.instances.get(a.instanceId());
        boolean attaching = i != null && i.state == InstanceStateName.PENDING;
        return VolumeAttachment.builder().volumeId(v.id).instanceId(a.instanceId()).device(a.device())
                .state(attaching ? "attaching" : "attached").attachTime(a.attachTime())
                .deleteOnTermination(a.deleteOnTermination()).build();
    }

    DescribeVolumesResponse describeVolumes(CallLog.Call call, DescribeVolumesRequest q) {
        if (!q.volumeIds().isEmpty() && q.maxResults() != null) {
            throw r.fail(call, "InvalidParameterCombination",
                    "The parameter volumeSet cannot be used with the parameter maxResults");
        }
        Predicate<Volume> filter = Ec2Filters.<Volume>tagged(v -> v.tags)
                .on("volume-id", v -> v.id)
                .on("status", v -> v.state(r.now()))
                .on("availability-zone", v -> v.availabilityZone)
                .on("size", v -> v.size)
                .on("volume-type", v -> v.volumeType)
                .on("snapshot-id", v -> v.snapshotId)
                .on("encrypted", v -> v.encrypted)
                .on("attachment.instance-id", v -> v.attachment == null ? null : v.attachment.instanceId())
                .on("attachment.device", v -> v.attachment == null ? null : v.attachment.device())
                .on("attachment.status", v -> v.attachment == null ? null : attachment(v, v.attachment).stateAsString())
                .on("attachment.delete-on-termination",
                        v -> v.attachment == null ? null : v.attachment.deleteOnTermination())
                .matcher(q.filters(), r.invalidParameter(call));
        List<Volume> found = r.select(call, r.volumes, Kind.VOLUME, q.volumeIds(), filter);
        Ec2Page<Volume> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeVolumesResponse.builder().volumes(page.items().stream().map(this::describe).toList())
                .nextToken(page.nextToken()).build();
    }

    DeleteVolumeResponse deleteVolume(CallLog.Call call, DeleteVolumeRequest q) {
        Volume v = r.require(call, r.volumes, Kind.VOLUME, q.volumeId());
        r.touch(call, Kind.VOLUME, v);
        if (v.attachment != null) {
            throw r.fail(call, "VolumeInUse", "Volume " + v.id + " is currently attached to " + v.attachment.instanceId());
        }
        r.volumes.remove(v.id);
        return DeleteVolumeResponse.builder().build();
    }

    AttachVolumeResponse attachVolume(CallLog.Call call, AttachVolumeRequest q) {
        Volume v = r.require(call, r.volumes, Kind.VOLUME, q.volumeId());
        Instance i = r.require(call, r.instances, Kind.INSTANCE, q.instanceId());
        r.touch(call, Kind.VOLUME, v);
        r.touch(call, Kind.INSTANCE, i);
        if (q.device() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter device");
        }
        if (v.attachment != null) {
            throw r.fail(call, "VolumeInUse", v.id + " is already attached to an instance");
        }
        if (!v.state(r.now()).equals("available")) {
            throw r.fail(call, "IncorrectState", v.id + " is not 'available'.");
        }
        if (i.state != InstanceStateName.RUNNING && i.state != InstanceStateName.STOPPED) {
            throw r.fail(call, "IncorrectInstanceState", "Instance '" + i.id + "' is not 'running'.");
        }
        if (!v.availabilityZone.equals(i.availabilityZone)) {
            throw r.fail(call, "InvalidVolume.ZoneMismatch", "The volume '" + v.id
                    + "' is not in the same availability zone as instance '" + i.id + "'");
        }
        if (i.devices.stream().anyMatch(d -> d.deviceName().equals(q.device()))) {
            throw r.fail(call, "InvalidParameterValue", "Invalid value '" + q.device()
                    + "' for unixDevice. Attachment point " + q.device() + " is already in use");
        }
        // volumes attached after launch keep their data when the instance goes away
        v.attachment = new Attachment(i.id, q.device(), false, r.now());
        i.devices.add(new Device(q.device(), v.id));
        return AttachVolumeResponse.builder().volumeId(v.id).instanceId(i.id).device(q.device())
                .state("attaching").attachTime(r.now()).deleteOnTermination(false).build();
    }

    DetachVolumeResponse detachVolume(CallLog.Call call, DetachVolumeRequest q) {
        Volume v = r.require(call, r.volumes, Kind.VOLUME, q.volumeId());
        r.touch(call, Kind.VOLUME, v);
        if (v.attachment == null) {
            throw r.fail(call, "IncorrectState", "Volume '" + v.id + "' is in the '" + v.state(r.now()) + "' state.");
        }
        Instance i = r.instances.get(v.attachment.instanceId());
        if (q.instanceId() != null && !q.instanceId().equals(v.attachment.instanceId())) {
            throw r.fail(call, "InvalidAttachment.NotFound", "Volume '" + v.id + "' is not attached to '"
                    + q.instanceId() + "'.");
        }
        r.touch(call, Kind.INSTANCE, i);
        if (v.attachment.device().equals(i.rootDeviceName) && i.state != InstanceStateName.STOPPED) {
            throw r.fail(call, "IncorrectState", "Unable to detach root volume '" + v.id + "' from instance '"
                    + i.id + "'");
        }
        String device = v.attachment.device();
        i.devices.removeIf(d -> d.volumeId().equals(v.id));
        v.attachment = null;
        return DetachVolumeResponse.builder().volumeId(v.id).instanceId(i.id).device(device).state("detaching")
                .build();
    }

    // ---- snapshots

    CreateSnapshotResponse createSnapshot(CallLog.Call call, CreateSnapshotRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("snapshot"),
                r.errors(call));
        if (q.volumeId() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter VolumeId");
        }
        Volume v = r.require(call, r.volumes, Kind.VOLUME, q.volumeId());
        r.touch(call, Kind.VOLUME, v);
        if (v.state(r.now()).equals("creating")) {
            throw r.fail(call, "IncorrectState", "Volume '" + v.id + "' is in the 'creating' state.");
        }
        Instant tooSoon = r.now().minus(SNAPSHOT_SPACING);
        if (r.snapshots.values().stream().anyMatch(s -> v.id.equals(s.volumeId) && s.startTime.isAfter(tooSoon))) {
            throw r.fail(call, "SnapshotCreationPerVolumeRateExceeded", "The maximum per volume CreateSnapshot"
                    + " request rate has been exceeded. Use an increasing or variable sleep interval between requests.");
        }
        boolean fails = r.failNextSnapshots > 0;
        if (fails) {
            r.failNextSnapshots--;
        }
        Snapshot s = new Snapshot(r.ids.next("snap"), tags.getOrDefault("snapshot", Map.of()), v.id, v.size,
                q.description() == null ? "" : q.description(), r.now(), r.timings().snapshot, fails, v.encrypted);
        r.snapshots.put(s.id, s);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.SNAPSHOT, s);
        var d = describe(s);
        return CreateSnapshotResponse.builder().snapshotId(d.snapshotId()).volumeId(d.volumeId())
                .volumeSize(d.volumeSize()).state(d.state()).startTime(d.startTime()).progress(d.progress())
                .ownerId(d.ownerId()).description(d.description()).encrypted(d.encrypted()).tags(d.tags())
                .storageTier("standard").build();
    }

    software.amazon.awssdk.services.ec2.model.Snapshot describe(Snapshot s) {
        SnapshotState state = s.state(r.now());
        return software.amazon.awssdk.services.ec2.model.Snapshot.builder()
                .snapshotId(s.id).volumeId(s.volumeId).volumeSize(s.volumeSize).state(state)
                .stateMessage(state == SnapshotState.ERROR ? "Snapshot creation failed (simulated)" : null)
                .startTime(s.startTime).progress(s.progress(r.now())).completionTime(s.completionTime(r.now()))
                .ownerId(r.accountId()).description(s.description).encrypted(s.encrypted).storageTier("standard")
                .tags(Ec2Tags.sdk(s.tags)).build();
    }

    DescribeSnapshotsResponse describeSnapshots(CallLog.Call call, DescribeSnapshotsRequest q) {
        if (!q.snapshotIds().isEmpty() && q.maxResults() != null) {
            throw r.fail(call, "InvalidParameterCombination",
                    "The parameter snapshotSet cannot be used with the parameter maxResults");
        }
        for (String owner : q.ownerIds()) {
            if (!Set.of("self", "amazon", "aws-marketplace").contains(owner) && !ACCOUNT.matcher(owner).matches()) {
                throw r.fail(call, "InvalidUserID.Malformed", "Invalid user id: \"" + owner + "\"");
            }
        }
        // the simulated account sees only its own snapshots; AWS-owned ones are never listed
        boolean own = q.ownerIds().isEmpty() || q.ownerIds().contains("self") || q.ownerIds().contains(r.accountId());
        Predicate<Snapshot> filter = Ec2Filters.<Snapshot>tagged(s -> s.tags)
                .on("snapshot-id", s -> s.id)
                .on("status", s -> s.state(r.now()).toString())
                .on("volume-id", s -> s.volumeId)
                .on("volume-size", s -> s.volumeSize)
                .on("owner-id", s -> r.accountId())
                .on("description", s -> s.description)
                .on("progress", s -> s.progress(r.now()))
                .on("encrypted", s -> s.encrypted)
                .on("storage-tier", s -> "standard")
                .matcher(q.filters(), r.invalidParameter(call));
        List<Snapshot> found = r.select(call, r.snapshots, Kind.SNAPSHOT, q.snapshotIds(), filter).stream()
                .filter(s -> own).toList();
        Ec2Page<Snapshot> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeSnapshotsResponse.builder().snapshots(page.items().stream().map(this::describe).toList())
                .nextToken(page.nextToken()).build();
    }

    DeleteSnapshotResponse deleteSnapshot(CallLog.Call call, DeleteSnapshotRequest q) {
        Snapshot s = r.require(call, r.snapshots, Kind.SNAPSHOT, q.snapshotId());
        r.touch(call, Kind.SNAPSHOT, s);
        r.images.values().stream().filter(image -> image.snapshotIds().contains(s.id)).findFirst()
                .ifPresent(image -> {
                    throw r.fail(call, "InvalidSnapshot.InUse", "The snapshot " + s.id
                            + " is currently in use by " + image.id);
                });
        r.snapshots.remove(s.id);
        return DeleteSnapshotResponse.builder().build();
    }

    // ---- create volume permissions (sharing)

    ModifySnapshotAttributeResponse modifySnapshotAttribute(CallLog.Call call, ModifySnapshotAttributeRequest q) {
        if (q.snapshotId() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter SnapshotId");
        }
        Snapshot s = r.require(call, r.snapshots, Kind.SNAPSHOT, q.snapshotId());
        r.touch(call, Kind.SNAPSHOT, s);
        if (q.attribute() != null && !"createVolumePermission".equals(q.attributeAsString())) {
            throw r.fail(call, "InvalidParameterValue", "Only the createVolumePermission attribute can be modified ("
                    + q.attributeAsString() + ")");
        }
        List<CreateVolumePermission> add = new ArrayList<>();
        List<CreateVolumePermission> remove = new ArrayList<>();
        if (q.createVolumePermission() != null) {
            add.addAll(q.createVolumePermission().add());
            remove.addAll(q.createVolumePermission().remove());
        }
        List<CreateVolumePermission> listed = new ArrayList<>();
        q.userIds().forEach(u -> listed.add(CreateVolumePermission.builder().userId(u).build()));
        q.groupNames().forEach(g -> listed.add(CreateVolumePermission.builder().group(g).build()));
        if (!listed.isEmpty()) {
            if (q.operationType() == null) {
                throw r.fail(call, "MissingParameter", "The request must contain the parameter OperationType");
            }
            ("remove".equals(q.operationTypeAsString()) ? remove : add).addAll(listed);
        }
        if (add.isEmpty() && remove.isEmpty()) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter createVolumePermission");
        }
        if (!add.isEmpty() && !remove.isEmpty()) {
            throw r.fail(call, "InvalidParameterCombination", "You cannot both add and remove create volume"
                    + " permissions in a single operation");
        }
        if (add.size() + remove.size() > MAX_PERMISSION_CHANGES) {
            throw r.fail(call, "InvalidParameterValue", "At most " + MAX_PERMISSION_CHANGES
                    + " modifications per request");
        }
        for (CreateVolumePermission p : add.isEmpty() ? remove : add) {
            if (p.group() != null && !"all".equals(p.groupAsString())) {
                throw r.fail(call, "InvalidParameterValue", "Invalid group \"" + p.groupAsString() + "\"");
            }
            if (p.userId() != null && !ACCOUNT.matcher(p.userId()).matches()) {
                throw r.fail(call, "InvalidUserID.Malformed", "Invalid user id: \"" + p.userId() + "\"");
            }
            if (p.group() != null && s.encrypted && !add.isEmpty()) {
                throw r.fail(call, "InvalidParameterValue", "Encrypted snapshots cannot be made public: " + s.id);
            }
        }
        add.forEach(p -> permission(s, p, true));
        remove.forEach(p -> permission(s, p, false));
        return ModifySnapshotAttributeResponse.builder().build();
    }

    private static void permission(Snapshot s, CreateVolumePermission p, boolean add) {
        if (p.userId() != null) {
            if (add) {
                s.volumeUserIds.add(p.userId());
            } else {
                s.volumeUserIds.remove(p.userId());
            }
        }
        if (p.group() != null) {
            if (add) {
                s.volumeGroups.add(p.groupAsString());
            } else {
                s.volumeGroups.remove(p.groupAsString());
            }
        }
    }

    DescribeSnapshotAttributeResponse describeSnapshotAttribute(CallLog.Call call,
                                                                DescribeSnapshotAttributeRequest q) {
        if (q.snapshotId() == null || q.attribute() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameters SnapshotId and Attribute");
        }
        Snapshot s = r.require(call, r.snapshots, Kind.SNAPSHOT, q.snapshotId());
        r.touch(call, Kind.SNAPSHOT, s);
        if (!"createVolumePermission".equals(q.attributeAsString())) {
            throw r.fail(call, "InvalidParameterValue", "Value (" + q.attributeAsString()
                    + ") for parameter attribute is not supported by the simulation.");
        }
        List<CreateVolumePermission> permissions = new ArrayList<>();
        s.volumeGroups.forEach(g -> permissions.add(CreateVolumePermission.builder().group(g).build()));
        s.volumeUserIds.forEach(u -> permissions.add(CreateVolumePermission.builder().userId(u).build()));
        return DescribeSnapshotAttributeResponse.builder().snapshotId(s.id).createVolumePermissions(permissions)
                .build();
    }
}
