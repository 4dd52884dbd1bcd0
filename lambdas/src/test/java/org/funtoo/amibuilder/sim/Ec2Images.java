package org.funtoo.amibuilder.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.Image;
import org.funtoo.amibuilder.sim.Ec2Resources.Snapshot;
import software.amazon.awssdk.services.ec2.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.CopyImageRequest;
import software.amazon.awssdk.services.ec2.model.CopyImageResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotReturnCode;
import software.amazon.awssdk.services.ec2.model.DeregisterImageRequest;
import software.amazon.awssdk.services.ec2.model.DeregisterImageResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationRequest;
import software.amazon.awssdk.services.ec2.model.EnableImageDeprecationResponse;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.ModifyImageAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyImageAttributeResponse;
import software.amazon.awssdk.services.ec2.model.RegisterImageRequest;
import software.amazon.awssdk.services.ec2.model.RegisterImageResponse;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.StateReason;

/**
 * AMIs: the Amazon Linux 2023 images every region starts with, RegisterImage from a completed snapshot (with
 * AWS's defaults where the request is silent: architecture i386, virtualization paravirtual, no ENA), the
 * pending → available (or failed) life, copies between regions of one account, launch permissions, deprecation.
 */
final class Ec2Images {
    static final String AMAZON_OWNER_ID = "137112412989";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9()\\[\\] ./\\-'@_]{3,128}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** AWS writes image times as {@code 2026-01-01T00:00:00.000Z}. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** What CopyImage needs of the source image, read under the source region's lock. */
    record CopySource(String region, String imageId, ImageState state, String description, Map<String, String> tags,
                      boolean ssmAgent, Image image) {
    }

    private record CopyToken(CopyImageRequest request, String imageId) {
    }

    private final Ec2Region r;
    private final Map<String, CopyToken> copyTokens = new HashMap<>();

    Ec2Images(Ec2Region region) {
        this.r = region;
    }

    // ---- the public images every region has

    void seedAmazonLinux() {
        seed(SimAws.AL2023_X86_64_IMAGE_ID, "x86_64", "uefi-preferred", "snap-0a2023000000864a0");
        seed(SimAws.AL2023_ARM64_IMAGE_ID, "arm64", "uefi", "snap-0a2023000000a64a0");
    }

    private void seed(String id, String architecture, String bootMode, String snapshotId) {
        String version = "2023.9.20251110.1";
        Image.Builder b = new Image.Builder();
        b.id = id;
        b.name = "al2023-ami-" + version + "-kernel-6.1-" + architecture;
        b.description = "Amazon Linux 2023 AMI " + version + " " + architecture + " HVM kernel-6.1";
        b.ownerId = AMAZON_OWNER_ID;
        b.ownerAlias = "amazon";
        b.architecture = architecture;
        b.virtualizationType = "hvm";
        b.rootDeviceName = "/dev/xvda";
        b.blockDevices = List.of(BlockDeviceMapping.builder().deviceName("/dev/xvda")
                .ebs(EbsBlockDevice.builder().snapshotId(snapshotId).volumeSize(8).volumeType("gp3")
                        .deleteOnTermination(true).encrypted(false).iops(3000).throughput(125).build())
                .build());
        b.enaSupport = true;
        b.sriovNetSupport = "simple";
        b.bootMode = bootMode;
        b.imdsSupport = "v2.0";
        b.creationDate = Instant.parse("2025-11-10T20:00:00Z");
        b.availableAt = b.creationDate;
        b.ssmAgent = true;
        Image image = new Image(b);
        image.launchGroups.add("all");
        r.images.put(id, image);
        r.bootByImage.put(id, BootBehaviour.boots("[    0.000000] Linux version 6.1.156-177.286.amzn2023."
                + architecture + "\n...\nAmazon Linux 2023.9.20251110\nKernel 6.1.156-177.286.amzn2023."
                + architecture + " on an " + architecture + " (-)\n\nlogin: "));
    }

    // ---- RegisterImage

    RegisterImageResponse registerImage(CallLog.Call call, RegisterImageRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("image"), r.errors(call));
        checkName(call, q.name());
        if (q.imageLocation() != null) {
            throw r.fail(call, "InvalidParameterValue", "Instance store-backed AMIs are not simulated");
        }
        if (q.rootDeviceName() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter rootDeviceName");
        }
        List<BlockDeviceMapping> mappings = new ArrayList<>();
        for (BlockDeviceMapping m : q.blockDeviceMappings()) {
            mappings.add(m.ebs() == null || m.ebs().snapshotId() == null ? m : fromSnapshot(call, m));
        }
        if (mappings.stream().noneMatch(m -> q.rootDeviceName().equals(m.deviceName()) && m.ebs() != null
                && m.ebs().snapshotId() != null)) {
            throw r.fail(call, "InvalidBlockDeviceMapping", "The root device " + q.rootDeviceName()
                    + " must be mapped to an EBS snapshot");
        }
        checkValue(call, "architecture", q.architectureAsString(), Set.of("i386", "x86_64", "arm64", "x86_64_mac",
                "arm64_mac"));
        checkValue(call, "virtualizationType", q.virtualizationType(), Set.of("hvm", "paravirtual"));
        checkValue(call, "bootMode", q.bootModeAsString(), Set.of("legacy-bios", "uefi", "uefi-preferred"));
        checkValue(call, "imdsSupport", q.imdsSupportAsString(), Set.of("v2.0"));
        checkValue(call, "sriovNetSupport", q.sriovNetSupport(), Set.of("simple"));

        Image.Builder b = new Image.Builder();
        b.id = r.ids.next("ami");
        b.tags = tags.getOrDefault("image", Map.of());
        b.name = q.name();
        b.description = q.description();
        b.ownerId = r.accountId();
        // AWS's documented defaults for an EBS-backed RegisterImage that does not say
        b.architecture = q.architectureAsString() == null ? "i386" : q.architectureAsString();
        b.virtualizationType = q.virtualizationType() == null ? "paravirtual" : q.virtualizationType();
        b.rootDeviceName = q.rootDeviceName();
        b.blockDevices = mappings;
        b.enaSupport = q.enaSupport();
        b.sriovNetSupport = q.sriovNetSupport();
        b.bootMode = q.bootModeAsString();
        b.imdsSupport = q.imdsSupportAsString();
        b.creationDate = r.now();
        b.availableAt = after(r.timings().image);
        b.fails = takeImageFailure();
        Image image = new Image(b);
        r.images.put(image.id, image);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.IMAGE, image);
        return RegisterImageResponse.builder().imageId(image.id).build();
    }

    private void checkName(CallLog.Call call, String name) {
        if (name == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter name");
        }
        if (!NAME.matcher(name).matches()) {
            throw r.fail(call, "InvalidAMIName.Malformed", "AMI names must be between 3 and 128 characters long,"
                    + " and may contain letters, numbers, '(', ')', '.', '-', '/' and '_': " + name);
        }
        r.images.values().stream().filter(i -> i.ownerId.equals(r.accountId()) && i.name.equals(name)).findFirst()
                .ifPresent(existing -> {
                    throw r.fail(call, "InvalidAMIName.Duplicate",
                            "AMI name " + name + " is already in use by AMI " + existing.id);
                });
    }

    private void checkValue(CallLog.Call call, String parameter, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw r.fail(call, "InvalidParameterValue", "Value (" + value + ") for parameter " + parameter
                    + " is invalid.");
        }
    }

    /** A mapping from one of this account's snapshots, which must have completed, with AWS's defaults filled in. */
    private BlockDeviceMapping fromSnapshot(CallLog.Call call, BlockDeviceMapping m) {
        Snapshot s = r.require(call, r.snapshots, Kind.SNAPSHOT, m.ebs().snapshotId());
        r.touch(call, Kind.SNAPSHOT, s);
        SnapshotState state = s.state(r.now());
        if (state != SnapshotState.COMPLETED) {
            throw r.fail(call, "IncorrectState", "Snapshot " + s.id + " is not in the 'completed' state (" + state
                    + ")");
        }
        EbsBlockDevice ebs = m.ebs();
        if (ebs.volumeSize() != null && ebs.volumeSize() < s.volumeSize) {
            throw r.fail(call, "InvalidBlockDeviceMapping", "Volume of size " + ebs.volumeSize()
                    + "GB is smaller than snapshot '" + s.id + "', expect size >= " + s.volumeSize + "GB");
        }
        return m.toBuilder().ebs(ebs.toBuilder()
                .volumeSize(ebs.volumeSize() == null ? s.volumeSize : ebs.volumeSize())
                .volumeType(ebs.volumeTypeAsString() == null ? "gp2" : ebs.volumeTypeAsString())
                .deleteOnTermination(ebs.deleteOnTermination() == null || ebs.deleteOnTermination())
                .encrypted(s.encrypted).build()).build();
    }

    private Instant after(Duration d) {
        // a null duration means "never": the image stays pending
        return d == null ? Instant.MAX : r.now().plus(d);
    }

    private boolean takeImageFailure() {
        if (r.failNextImages > 0) {
            r.failNextImages--;
            return true;
        }
        return false;
    }

    // ---- DescribeImages

    private software.amazon.awssdk.services.ec2.model.Image describe(Image im) {
        ImageState state = im.state(r.now());
        return software.amazon.awssdk.services.ec2.model.Image.builder()
                .imageId(im.id).name(im.name).description(im.description).ownerId(im.ownerId)
                .imageOwnerAlias(im.ownerAlias).state(state)
                .stateReason(state == ImageState.FAILED ? StateReason.builder().code("Server.InternalError")
                        .message("Server.InternalError: Internal error (simulated)").build() : null)
                .architecture(im.architecture).virtualizationType(im.virtualizationType).hypervisor("xen")
                .rootDeviceName(im.rootDeviceName).rootDeviceType("ebs").blockDeviceMappings(im.blockDevices)
                .enaSupport(im.enaSupport).sriovNetSupport(im.sriovNetSupport).bootMode(im.bootMode)
                .imdsSupport(im.imdsSupport).creationDate(TIMESTAMP.format(im.creationDate))
                .imageType("machine").publicLaunchPermissions(im.isPublic()).platformDetails("Linux/UNIX")
                .usageOperation("RunInstances").productCodes(List.of())
                .deprecationTime(im.deprecationTime == null ? null : TIMESTAMP.format(im.deprecationTime))
                .sourceImageId(im.sourceImageId).sourceImageRegion(im.sourceRegion)
                .tags(Ec2Tags.sdk(im.tags)).build();
    }

    DescribeImagesResponse describeImages(CallLog.Call call, DescribeImagesRequest q) {
        for (String owner : q.owners()) {
            if (!Set.of("self", "amazon", "aws-marketplace").contains(owner) && !ACCOUNT.matcher(owner).matches()) {
                throw r.fail(call, "InvalidUserID.Malformed", "Invalid user id: \"" + owner + "\"");
            }
        }
        Predicate<Image> owned = im -> q.owners().isEmpty() || q.owners().contains(im.ownerId)
                || q.owners().contains("self") && im.ownerId.equals(r.accountId())
                || q.owners().contains("amazon") && "amazon".equals(im.ownerAlias);
        boolean byId = !q.imageIds().isEmpty();
        // deprecated public images of others are hidden unless asked for by id or with IncludeDeprecated
        Predicate<Image> visible = im -> byId || Boolean.TRUE.equals(q.includeDeprecated())
                || im.ownerId.equals(r.accountId()) || im.deprecationTime == null
                || r.now().isBefore(im.deprecationTime);
        Predicate<Image> filter = Ec2Filters.<Image>tagged(im -> im.tags)
                .on("image-id", im -> im.id)
                .on("name", im -> im.name)
                .on("state", im -> im.state(r.now()).toString())
                .on("architecture", im -> im.architecture)
                .on("owner-id", im -> im.ownerId)
                .on("owner-alias", im -> im.ownerAlias)
                .on("is-public", Image::isPublic)
                .on("image-type", im -> "machine")
                .on("root-device-type", im -> "ebs")
                .on("root-device-name", im -> im.rootDeviceName)
                .on("virtualization-type", im -> im.virtualizationType)
                .on("hypervisor", im -> "xen")
                .on("description", im -> im.description)
                .on("ena-support", im -> im.enaSupport)
                .on("source-image-id", im -> im.sourceImageId)
                .on("source-image-region", im -> im.sourceRegion)
                .on("block-device-mapping.snapshot-id", Image::snapshotIds)
                .on("block-device-mapping.device-name",
                        im -> im.blockDevices.stream().map(BlockDeviceMapping::deviceName).toList())
                .matcher(q.filters(), r.invalidParameter(call));
        List<Image> found = r.select(call, r.images, Kind.IMAGE, q.imageIds(), owned.and(visible).and(filter));
        Ec2Page<Image> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeImagesResponse.builder().images(page.items().stream().map(this::describe).toList())
                .nextToken(page.nextToken()).build();
    }

    // ---- DeregisterImage

    DeregisterImageResponse deregisterImage(CallLog.Call call, DeregisterImageRequest q) {
        Image image = ownImage(call, q.imageId());
        r.images.remove(image.id);
        List<DeleteSnapshotReturnCode> results = new ArrayList<>();
        if (Boolean.TRUE.equals(q.deleteAssociatedSnapshots())) {
            for (String snapshotId : image.snapshotIds()) {
                Snapshot s = r.snapshots.get(snapshotId);
                boolean usedElsewhere = r.images.values().stream().anyMatch(i -> i.snapshotIds().contains(snapshotId));
                if (s != null && !usedElsewhere) {
                    r.touch(call, Kind.SNAPSHOT, s);
                    r.snapshots.remove(snapshotId);
                }
                String outcome = s == null ? "client-error" : usedElsewhere ? "skipped" : "success";
                results.add(DeleteSnapshotReturnCode.builder().snapshotId(snapshotId).returnCode(outcome).build());
            }
        }
        return DeregisterImageResponse.builder().returnValue(true).deleteSnapshotResults(results).build();
    }

    private Image ownImage(CallLog.Call call, String imageId) {
        Image image = r.require(call, r.images, Kind.IMAGE, imageId);
        r.touch(call, Kind.IMAGE, image);
        if (!image.ownerId.equals(r.accountId())) {
            throw r.fail(call, "AuthFailure", "Not authorized for image:" + image.id);
        }
        return image;
    }

    // ---- CopyImage (this region is the destination)

    /** The source image as the source region sees it now, or null if it has no such image. */
    CopySource copySource(String imageId) {
        Image image = r.images.get(imageId);
        if (image == null) {
            return null;
        }
        return new CopySource(r.name, image.id, image.state(r.now()), image.description, Map.copyOf(image.tags),
                image.ssmAgent, image);
    }

    CopyImageResponse copyImage(CallLog.Call call, CopyImageRequest q, CopySource source) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("image", "snapshot"),
                r.errors(call));
        if (q.clientToken() != null && copyTokens.containsKey(q.clientToken())) {
            CopyToken earlier = copyTokens.get(q.clientToken());
            if (!earlier.request().equalsBySdkFields(q)) {
                throw r.fail(call, "IdempotentParameterMismatch", "The client token " + q.clientToken()
                        + " was already used with different parameters");
            }
            return CopyImageResponse.builder().imageId(earlier.imageId()).build();
        }
        if (source.state() != ImageState.AVAILABLE) {
            throw r.fail(call, "InvalidAMIID.Unavailable", "Image " + source.imageId() + " is not available ("
                    + source.state() + ")");
        }
        checkName(call, q.name());
        long copying = r.images.values().stream().filter(i -> i.sourceImageId != null
                && i.state(r.now()) == ImageState.PENDING).mapToLong(i -> i.blockDevices.stream()
                .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null).count()).sum();
        long adding = source.image().blockDevices.stream()
                .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null).count();
        r.requireQuota(call, SimQuotas.Quota.CONCURRENT_SNAPSHOT_COPIES, (int) copying, (int) adding,
                "Too many concurrent snapshot copies");
        String imageId = r.ids.next("ami");
        Instant done = after(r.timings().imageCopy);
        List<BlockDeviceMapping> mappings = new ArrayList<>();
        for (BlockDeviceMapping m : source.image().blockDevices) {
            if (m.ebs() == null || m.ebs().snapshotId() == null) {
                mappings.add(m);
                continue;
            }
            Snapshot copy = new Snapshot(r.ids.next("snap"), tags.getOrDefault("snapshot", Map.of()),
                    "vol-ffffffff", m.ebs().volumeSize(), "Copied for DestinationAmi " + imageId + " from SourceAmi "
                    + source.imageId() + " for SourceSnapshot " + m.ebs().snapshotId(), r.now(),
                    done == Instant.MAX ? null : Duration.between(r.now(), done), false,
                    Boolean.TRUE.equals(m.ebs().encrypted()));
            r.snapshots.put(copy.id, copy);
            r.touch(call, Kind.SNAPSHOT, copy);
            mappings.add(m.toBuilder().ebs(m.ebs().toBuilder().snapshotId(copy.id).build()).build());
        }
        Map<String, String> imageTags = new LinkedHashMap<>();
        if (Boolean.TRUE.equals(q.copyImageTags())) {
            imageTags.putAll(source.tags());
        }
        imageTags.putAll(tags.getOrDefault("image", Map.of()));
        Image from = source.image();
        Image.Builder b = new Image.Builder();
        b.id = imageId;
        b.tags = imageTags;
        b.name = q.name();
        b.description = q.description() != null ? q.description() : source.description();
        b.ownerId = r.accountId();
        b.architecture = from.architecture;
        b.virtualizationType = from.virtualizationType;
        b.rootDeviceName = from.rootDeviceName;
        b.blockDevices = mappings;
        b.enaSupport = from.enaSupport;
        b.sriovNetSupport = from.sriovNetSupport;
        b.bootMode = from.bootMode;
        b.imdsSupport = from.imdsSupport;
        b.creationDate = r.now();
        b.availableAt = done;
        b.fails = takeImageFailure();
        b.sourceImageId = source.imageId();
        b.sourceRegion = source.region();
        b.ssmAgent = source.ssmAgent();
        Image image = new Image(b);
        r.images.put(image.id, image);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.IMAGE, image);
        if (q.clientToken() != null) {
            copyTokens.put(q.clientToken(), new CopyToken(q, image.id));
        }
        return CopyImageResponse.builder().imageId(image.id).build();
    }

    // ---- attributes and deprecation

    ModifyImageAttributeResponse modifyImageAttribute(CallLog.Call call, ModifyImageAttributeRequest q) {
        Image image = ownImage(call, q.imageId());
        if (image.state(r.now()) != ImageState.AVAILABLE) {
            throw r.fail(call, "InvalidAMIID.Unavailable", "Image " + image.id + " is not available");
        }
        boolean changed = false;
        if (q.launchPermission() != null) {
            q.launchPermission().add().forEach(p -> permission(call, image, p.groupAsString(), p.userId(), true));
            q.launchPermission().remove().forEach(p -> permission(call, image, p.groupAsString(), p.userId(), false));
            changed = true;
        }
        if ("launchPermission".equals(q.attribute()) && q.launchPermission() == null) {
            boolean add = !"remove".equals(q.operationTypeAsString());
            q.userGroups().forEach(g -> permission(call, image, g, null, add));
            q.userIds().forEach(u -> permission(call, image, null, u, add));
            changed = true;
        }
        if (q.description() != null || "description".equals(q.attribute())) {
            image.description = q.description() != null ? q.description().value() : q.value();
            changed = true;
        }
        if (q.imdsSupport() != null) {
            checkValue(call, "imdsSupport", q.imdsSupport().value(), Set.of("v2.0"));
            changed = true;
        }
        if (!changed) {
            throw r.fail(call, "InvalidParameterCombination", "No attribute to modify was specified");
        }
        return ModifyImageAttributeResponse.builder().build();
    }

    private void permission(CallLog.Call call, Image image, String group, String userId, boolean add) {
        if (group != null && !group.equals("all")) {
            throw r.fail(call, "InvalidAMIAttributeItemValue", "Invalid attribute item value \"" + group
                    + "\" for group item type.");
        }
        if (userId != null && !ACCOUNT.matcher(userId).matches()) {
            throw r.fail(call, "InvalidAMIAttributeItemValue", "Invalid attribute item value \"" + userId
                    + "\" for userId item type.");
        }
        if (group != null) {
            if (add) {
                image.launchGroups.add(group);
            } else {
                image.launchGroups.remove(group);
            }
        }
        if (userId != null) {
            if (add) {
                image.launchUserIds.add(userId);
            } else {
                image.launchUserIds.remove(userId);
            }
        }
    }

    DescribeImageAttributeResponse describeImageAttribute(CallLog.Call call, DescribeImageAttributeRequest q) {
        String attribute = q.attributeAsString();
        if (attribute == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter attribute");
        }
        // anyone who may launch an image can read its attributes, but only the owner sees who may launch it
        Image image = attribute.equals("launchPermission") ? ownImage(call, q.imageId())
                : r.require(call, r.images, Kind.IMAGE, q.imageId());
        if (!attribute.equals("launchPermission")) {
            r.touch(call, Kind.IMAGE, image);
        }
        var out = DescribeImageAttributeResponse.builder().imageId(image.id);
        switch (attribute) {
            case "launchPermission" -> {
                List<LaunchPermission> permissions = new ArrayList<>();
                image.launchGroups.forEach(g -> permissions.add(LaunchPermission.builder().group(g).build()));
                image.launchUserIds.forEach(u -> permissions.add(LaunchPermission.builder().userId(u).build()));
                out.launchPermissions(permissions);
            }
            case "description" -> out.description(value(image.description));
            case "bootMode" -> out.bootMode(value(image.bootMode));
            case "imdsSupport" -> out.imdsSupport(value(image.imdsSupport));
            case "sriovNetSupport" -> out.sriovNetSupport(value(image.sriovNetSupport));
            case "blockDeviceMapping" -> out.blockDeviceMappings(image.blockDevices);
            case "productCodes" -> out.productCodes(List.of());
            case "kernel" -> out.kernelId(value(null));
            case "ramdisk" -> out.ramdiskId(value(null));
            default -> throw r.fail(call, "InvalidParameterValue", "Value (" + attribute
                    + ") for parameter attribute is not supported by the simulation.");
        }
        return out.build();
    }

    private static AttributeValue value(String value) {
        return AttributeValue.builder().value(value).build();
    }

    EnableImageDeprecationResponse enableImageDeprecation(CallLog.Call call, EnableImageDeprecationRequest q) {
        Image image = ownImage(call, q.imageId());
        if (q.deprecateAt() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter DeprecateAt");
        }
        // AWS rounds to the nearest minute and accepts only the future, at most ten years ahead
        Instant at = q.deprecateAt().plusSeconds(30).truncatedTo(ChronoUnit.MINUTES);
        if (!at.isAfter(r.now()) || at.isAfter(r.now().plus(Duration.ofDays(3650)))) {
            throw r.fail(call, "InvalidParameterValue", "The deprecation time " + at
                    + " must be in the future and at most 10 years ahead");
        }
        // "The upper limit for DeprecateAt is 10 years from now, except for public AMIs, where the upper limit is
        // 2 years from the creation date" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageDeprecation.html)
        if (image.isPublic() && q.deprecateAt().isAfter(image.creationDate.plus(Duration.ofDays(730)))) {
            throw r.fail(call, "InvalidParameterValue", "The deprecation time " + at + " of public image "
                    + image.id + " must be at most 2 years after its creation (" + image.creationDate + ")");
        }
        image.deprecationTime = at;
        return EnableImageDeprecationResponse.builder().returnValue(true).build();
    }
}
