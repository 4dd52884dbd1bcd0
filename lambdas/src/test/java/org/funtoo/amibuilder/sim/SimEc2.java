package org.funtoo.amibuilder.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.Image;
import org.funtoo.amibuilder.sim.Ec2Resources.Instance;
import org.funtoo.amibuilder.sim.Ec2Resources.Snapshot;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.DefaultAwsResponseMetadata;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.util.AwsHeader;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.*;

/**
 * Simulated EC2 of one region. It implements the operations the builder uses with the SDK's own request and
 * response classes; every other operation keeps the SDK's default (UnsupportedOperationException). Each call is
 * logged and may fail by injection before it does anything ({@link SimAws#enter}); then the region's state is
 * advanced to the clock and the call is carried out under AWS's rules, with AWS's error codes.
 *
 * <p>The operations live in {@link Ec2Network}, {@link Ec2RouteTables}, {@link Ec2SecurityGroups},
 * {@link Ec2Instances}, {@link Ec2Storage}, {@link Ec2Images} and {@link Ec2Catalogue}; this class routes to them
 * and offers the scenario hooks ({@link #onBoot}, {@link #failNextSnapshot}, {@link #removeOffering}, ...).
 */
public final class SimEc2 implements Ec2Client, SimService {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private final SimAws aws;
    private final Ec2Region region;
    private final Ec2Network network;
    private final Ec2RouteTables routeTables;
    private final Ec2SecurityGroups securityGroups;
    private final Ec2Instances instances;
    private final Ec2Storage storage;
    private final Ec2Images images;
    private final AtomicLong requestIds = new AtomicLong();

    SimEc2(SimAws aws, String region) {
        this.aws = aws;
        this.region = new Ec2Region(aws, this, region);
        this.network = new Ec2Network(this.region);
        this.routeTables = new Ec2RouteTables(this.region);
        this.securityGroups = new Ec2SecurityGroups(this.region);
        this.instances = new Ec2Instances(this.region, routeTables);
        this.storage = new Ec2Storage(this.region);
        this.images = new Ec2Images(this.region);
        images.seedAmazonLinux();
    }

    public String region() {
        return region.name;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    /** EC2's limit on the filter values of one Describe call, all filters together. */
    static final int MAX_FILTER_VALUES = 200;

    private <T> T run(String operation, SdkRequest request, Function<CallLog.Call, T> body) {
        CallLog.Call call = enter(operation, request);
        synchronized (this) {
            region.settle();
            return answered(body.apply(call));
        }
    }

    /** Logs the call; a DryRun request stops here, like AWS answers one the caller is allowed to make. */
    private CallLog.Call enter(String operation, SdkRequest request) {
        CallLog.Call call = aws.enter(this, "ec2", operation, request);
        // "The request uses too many filters or too many filter values": at most 200 values per call, every
        // filter's values counted together (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html)
        int filterValues = request.getValueForField("Filters", List.class).orElse(List.of()).stream()
                .mapToInt(f -> ((software.amazon.awssdk.services.ec2.model.Filter) f).values().size()).sum();
        if (filterValues > MAX_FILTER_VALUES) {
            throw aws.fail(this, call, "FilterLimitExceeded", "The maximum number of filter values specified on a"
                    + " single call is " + MAX_FILTER_VALUES + " (got " + filterValues + ")");
        }
        if (request.getValueForField("DryRun", Boolean.class).orElse(false)) {
            throw aws.fail(this, call, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        }
        return call;
    }

    /** Real responses carry a request id; handlers may log it. */
    @SuppressWarnings("unchecked")
    private <T> T answered(T response) {
        AwsResponse r = (AwsResponse) response;
        return (T) r.toBuilder().responseMetadata(DefaultAwsResponseMetadata.create(
                Map.of(AwsHeader.AWS_REQUEST_ID, nextRequestId()))).build();
    }

    private String nextRequestId() {
        return String.format("sim-%s-%08d", region.name, requestIds.incrementAndGet());
    }

    // ---- VPCs, subnets, internet gateways

    @Override
    public CreateVpcResponse createVpc(CreateVpcRequest q) {
        return run("CreateVpc", q, c -> network.createVpc(c, q));
    }

    @Override
    public DescribeVpcsResponse describeVpcs(DescribeVpcsRequest q) {
        return run("DescribeVpcs", q, c -> network.describeVpcs(c, q));
    }

    @Override
    public ModifyVpcAttributeResponse modifyVpcAttribute(ModifyVpcAttributeRequest q) {
        return run("ModifyVpcAttribute", q, c -> network.modifyVpcAttribute(c, q));
    }

    @Override
    public DescribeVpcAttributeResponse describeVpcAttribute(DescribeVpcAttributeRequest q) {
        return run("DescribeVpcAttribute", q, c -> network.describeVpcAttribute(c, q));
    }

    @Override
    public DeleteVpcResponse deleteVpc(DeleteVpcRequest q) {
        return run("DeleteVpc", q, c -> network.deleteVpc(c, q));
    }

    @Override
    public CreateSubnetResponse createSubnet(CreateSubnetRequest q) {
        return run("CreateSubnet", q, c -> network.createSubnet(c, q));
    }

    @Override
    public ModifySubnetAttributeResponse modifySubnetAttribute(ModifySubnetAttributeRequest q) {
        return run("ModifySubnetAttribute", q, c -> network.modifySubnetAttribute(c, q));
    }

    @Override
    public DescribeSubnetsResponse describeSubnets(DescribeSubnetsRequest q) {
        return run("DescribeSubnets", q, c -> network.describeSubnets(c, q));
    }

    @Override
    public DeleteSubnetResponse deleteSubnet(DeleteSubnetRequest q) {
        return run("DeleteSubnet", q, c -> network.deleteSubnet(c, q));
    }

    @Override
    public CreateInternetGatewayResponse createInternetGateway(CreateInternetGatewayRequest q) {
        return run("CreateInternetGateway", q, c -> network.createInternetGateway(c, q));
    }

    @Override
    public AttachInternetGatewayResponse attachInternetGateway(AttachInternetGatewayRequest q) {
        return run("AttachInternetGateway", q, c -> network.attachInternetGateway(c, q));
    }

    @Override
    public DetachInternetGatewayResponse detachInternetGateway(DetachInternetGatewayRequest q) {
        return run("DetachInternetGateway", q, c -> network.detachInternetGateway(c, q));
    }

    @Override
    public DeleteInternetGatewayResponse deleteInternetGateway(DeleteInternetGatewayRequest q) {
        return run("DeleteInternetGateway", q, c -> network.deleteInternetGateway(c, q));
    }

    @Override
    public DescribeInternetGatewaysResponse describeInternetGateways(DescribeInternetGatewaysRequest q) {
        return run("DescribeInternetGateways", q, c -> network.describeInternetGateways(c, q));
    }

    // ---- route tables

    @Override
    public CreateRouteTableResponse createRouteTable(CreateRouteTableRequest q) {
        return run("CreateRouteTable", q, c -> routeTables.createRouteTable(c, q));
    }

    @Override
    public CreateRouteResponse createRoute(CreateRouteRequest q) {
        return run("CreateRoute", q, c -> routeTables.createRoute(c, q));
    }

    @Override
    public AssociateRouteTableResponse associateRouteTable(AssociateRouteTableRequest q) {
        return run("AssociateRouteTable", q, c -> routeTables.associateRouteTable(c, q));
    }

    @Override
    public DisassociateRouteTableResponse disassociateRouteTable(DisassociateRouteTableRequest q) {
        return run("DisassociateRouteTable", q, c -> routeTables.disassociateRouteTable(c, q));
    }

    @Override
    public DeleteRouteTableResponse deleteRouteTable(DeleteRouteTableRequest q) {
        return run("DeleteRouteTable", q, c -> routeTables.deleteRouteTable(c, q));
    }

    @Override
    public DescribeRouteTablesResponse describeRouteTables(DescribeRouteTablesRequest q) {
        return run("DescribeRouteTables", q, c -> routeTables.describeRouteTables(c, q));
    }

    // ---- security groups

    @Override
    public CreateSecurityGroupResponse createSecurityGroup(CreateSecurityGroupRequest q) {
        return run("CreateSecurityGroup", q, c -> securityGroups.createSecurityGroup(c, q));
    }

    @Override
    public DescribeSecurityGroupsResponse describeSecurityGroups(DescribeSecurityGroupsRequest q) {
        return run("DescribeSecurityGroups", q, c -> securityGroups.describeSecurityGroups(c, q));
    }

    @Override
    public DeleteSecurityGroupResponse deleteSecurityGroup(DeleteSecurityGroupRequest q) {
        return run("DeleteSecurityGroup", q, c -> securityGroups.deleteSecurityGroup(c, q));
    }

    @Override
    public AuthorizeSecurityGroupIngressResponse authorizeSecurityGroupIngress(AuthorizeSecurityGroupIngressRequest q) {
        return run("AuthorizeSecurityGroupIngress", q, c -> securityGroups.authorizeIngress(c, q));
    }

    @Override
    public AuthorizeSecurityGroupEgressResponse authorizeSecurityGroupEgress(AuthorizeSecurityGroupEgressRequest q) {
        return run("AuthorizeSecurityGroupEgress", q, c -> securityGroups.authorizeEgress(c, q));
    }

    @Override
    public RevokeSecurityGroupIngressResponse revokeSecurityGroupIngress(RevokeSecurityGroupIngressRequest q) {
        return run("RevokeSecurityGroupIngress", q, c -> securityGroups.revokeIngress(c, q));
    }

    @Override
    public RevokeSecurityGroupEgressResponse revokeSecurityGroupEgress(RevokeSecurityGroupEgressRequest q) {
        return run("RevokeSecurityGroupEgress", q, c -> securityGroups.revokeEgress(c, q));
    }

    // ---- instances and what they run on

    @Override
    public RunInstancesResponse runInstances(RunInstancesRequest q) {
        return run("RunInstances", q, c -> instances.runInstances(c, q));
    }

    @Override
    public DescribeInstancesResponse describeInstances(DescribeInstancesRequest q) {
        return run("DescribeInstances", q, c -> instances.describeInstances(c, q));
    }

    @Override
    public TerminateInstancesResponse terminateInstances(TerminateInstancesRequest q) {
        return run("TerminateInstances", q, c -> instances.terminateInstances(c, q));
    }

    @Override
    public StopInstancesResponse stopInstances(StopInstancesRequest q) {
        return run("StopInstances", q, c -> instances.stopInstances(c, q));
    }

    @Override
    public DescribeInstanceStatusResponse describeInstanceStatus(DescribeInstanceStatusRequest q) {
        return run("DescribeInstanceStatus", q, c -> instances.describeInstanceStatus(c, q));
    }

    @Override
    public GetConsoleOutputResponse getConsoleOutput(GetConsoleOutputRequest q) {
        return run("GetConsoleOutput", q, c -> instances.getConsoleOutput(c, q));
    }

    @Override
    public DescribeInstanceTypeOfferingsResponse describeInstanceTypeOfferings(DescribeInstanceTypeOfferingsRequest q) {
        return run("DescribeInstanceTypeOfferings", q, c -> region.catalogue.describeInstanceTypeOfferings(region, c, q));
    }

    @Override
    public DescribeInstanceTypesResponse describeInstanceTypes(DescribeInstanceTypesRequest q) {
        return run("DescribeInstanceTypes", q, c -> region.catalogue.describeInstanceTypes(region, c, q));
    }

    @Override
    public DescribeAvailabilityZonesResponse describeAvailabilityZones(DescribeAvailabilityZonesRequest q) {
        return run("DescribeAvailabilityZones", q, c -> region.catalogue.describeAvailabilityZones(region, c, q));
    }

    /** Account-wide: every regional endpoint lists the same regions. */
    @Override
    public DescribeRegionsResponse describeRegions(DescribeRegionsRequest q) {
        return run("DescribeRegions", q, c -> Ec2Catalogue.describeRegions(region, c, q));
    }

    // ---- volumes and snapshots

    @Override
    public CreateVolumeResponse createVolume(CreateVolumeRequest q) {
        return run("CreateVolume", q, c -> storage.createVolume(c, q));
    }

    @Override
    public DescribeVolumesResponse describeVolumes(DescribeVolumesRequest q) {
        return run("DescribeVolumes", q, c -> storage.describeVolumes(c, q));
    }

    @Override
    public DeleteVolumeResponse deleteVolume(DeleteVolumeRequest q) {
        return run("DeleteVolume", q, c -> storage.deleteVolume(c, q));
    }

    @Override
    public AttachVolumeResponse attachVolume(AttachVolumeRequest q) {
        return run("AttachVolume", q, c -> storage.attachVolume(c, q));
    }

    @Override
    public DetachVolumeResponse detachVolume(DetachVolumeRequest q) {
        return run("DetachVolume", q, c -> storage.detachVolume(c, q));
    }

    @Override
    public CreateSnapshotResponse createSnapshot(CreateSnapshotRequest q) {
        return run("CreateSnapshot", q, c -> storage.createSnapshot(c, q));
    }

    @Override
    public DescribeSnapshotsResponse describeSnapshots(DescribeSnapshotsRequest q) {
        return run("DescribeSnapshots", q, c -> storage.describeSnapshots(c, q));
    }

    @Override
    public DeleteSnapshotResponse deleteSnapshot(DeleteSnapshotRequest q) {
        return run("DeleteSnapshot", q, c -> storage.deleteSnapshot(c, q));
    }

    @Override
    public ModifySnapshotAttributeResponse modifySnapshotAttribute(ModifySnapshotAttributeRequest q) {
        return run("ModifySnapshotAttribute", q, c -> storage.modifySnapshotAttribute(c, q));
    }

    @Override
    public DescribeSnapshotAttributeResponse describeSnapshotAttribute(DescribeSnapshotAttributeRequest q) {
        return run("DescribeSnapshotAttribute", q, c -> storage.describeSnapshotAttribute(c, q));
    }

    // ---- images

    @Override
    public RegisterImageResponse registerImage(RegisterImageRequest q) {
        return run("RegisterImage", q, c -> images.registerImage(c, q));
    }

    @Override
    public DescribeImagesResponse describeImages(DescribeImagesRequest q) {
        return run("DescribeImages", q, c -> images.describeImages(c, q));
    }

    @Override
    public DeregisterImageResponse deregisterImage(DeregisterImageRequest q) {
        return run("DeregisterImage", q, c -> images.deregisterImage(c, q));
    }

    @Override
    public ModifyImageAttributeResponse modifyImageAttribute(ModifyImageAttributeRequest q) {
        return run("ModifyImageAttribute", q, c -> images.modifyImageAttribute(c, q));
    }

    @Override
    public DescribeImageAttributeResponse describeImageAttribute(DescribeImageAttributeRequest q) {
        return run("DescribeImageAttribute", q, c -> images.describeImageAttribute(c, q));
    }

    @Override
    public EnableImageDeprecationResponse enableImageDeprecation(EnableImageDeprecationRequest q) {
        return run("EnableImageDeprecation", q, c -> images.enableImageDeprecation(c, q));
    }

    /**
     * Reads the source image from its region (under that region's lock, not this one's, so two regions copying
     * from each other cannot deadlock), then creates the copy here.
     */
    @Override
    public CopyImageResponse copyImage(CopyImageRequest q) {
        CallLog.Call call = enter("CopyImage", q);
        Ec2Images.CopySource source = copySource(call, q);
        synchronized (this) {
            region.settle();
            return answered(images.copyImage(call, q, source));
        }
    }

    private Ec2Images.CopySource copySource(CallLog.Call call, CopyImageRequest q) {
        if (q.sourceRegion() == null || q.sourceImageId() == null) {
            throw aws.fail(this, call, "MissingParameter",
                    "The request must contain the parameters SourceRegion and SourceImageId");
        }
        if (!REGION.matcher(q.sourceRegion()).matches()) {
            throw aws.fail(this, call, "InvalidRegion", "Invalid region: " + q.sourceRegion());
        }
        if (!Kind.IMAGE.isWellFormed(q.sourceImageId())) {
            throw aws.fail(this, call, Kind.IMAGE.malformed, "Invalid id: \"" + q.sourceImageId() + "\"");
        }
        Ec2Images.CopySource source = aws.ec2(q.sourceRegion()).copySourceOf(q.sourceImageId());
        if (source == null) {
            throw aws.fail(this, call, Kind.IMAGE.notFound, "The image id '[" + q.sourceImageId()
                    + "]' does not exist in " + q.sourceRegion());
        }
        call.touched("arn:aws:ec2:" + source.region() + "::image/" + source.imageId(), source.tags());
        return source;
    }

    private synchronized Ec2Images.CopySource copySourceOf(String imageId) {
        region.settle();
        return images.copySource(imageId);
    }

    // ---- tags

    @Override
    public CreateTagsResponse createTags(CreateTagsRequest q) {
        return run("CreateTags", q, c -> Ec2Tags.createTags(region, c, q));
    }

    // ---- what other simulated services and tests read

    /**
     * When the instance entered {@code running}, while it is running (empty while pending, stopping, stopped,
     * shutting down, terminated or unknown); SSM's agent-online timing and the status checks count from here.
     */
    public synchronized Optional<Instant> runningSince(String instanceId) {
        region.settle();
        Instance i = region.instances.get(instanceId);
        return i != null && i.state == InstanceStateName.RUNNING ? Optional.of(i.runningAt) : Optional.empty();
    }

    /** What an instance's SSM agent would depend on, for the simulated SSM. */
    public record InstanceFacts(String instanceId, String imageId, InstanceStateName state, boolean ssmAgentInstalled,
                                String iamInstanceProfileArn, boolean internetAccess) {
    }

    public synchronized Optional<InstanceFacts> instanceFacts(String instanceId) {
        region.settle();
        Instance i = region.instances.get(instanceId);
        return Optional.ofNullable(i).map(x -> new InstanceFacts(x.id, x.imageId, x.state, x.ssmAgent,
                x.iamInstanceProfileArn, instances.hasInternetAccess(x)));
    }

    /** The instance's tags (empty when unknown): SSM records them for IAM conditions on the instance. */
    public synchronized Map<String, String> instanceTags(String instanceId) {
        Ec2Resources.Instance i = region.instances.get(instanceId);
        return i == null ? Map.of() : Map.copyOf(i.tags);
    }

    // ---- scenario hooks

    /** Instances launched from {@code imageId} from now on show this console text and status-check outcome. */
    public synchronized SimEc2 onBoot(String imageId, BootBehaviour behaviour) {
        region.bootByImage.put(imageId, behaviour);
        return this;
    }

    /** How instances of images without an {@link #onBoot} behaviour boot (e.g. the AMI just built). */
    public synchronized SimEc2 defaultBoot(BootBehaviour behaviour) {
        region.defaultBoot = behaviour;
        return this;
    }

    /** This instance's status checks end {@code impaired} whatever its image does. */
    public synchronized SimEc2 failStatusChecks(String instanceId) {
        requireInstance(instanceId).statusChecksFail = true;
        return this;
    }

    /** The instance type is no longer offered in that zone (DescribeInstanceTypeOfferings, RunInstances). */
    public synchronized SimEc2 removeOffering(String instanceType, String availabilityZone) {
        region.catalogue.removeOffering(instanceType, availabilityZone);
        return this;
    }

    /** The next snapshot created in this region ends in state {@code error}. */
    public synchronized SimEc2 failNextSnapshot() {
        region.failNextSnapshots++;
        return this;
    }

    /** This pending snapshot goes to state {@code error} now. */
    public synchronized SimEc2 failSnapshot(String snapshotId) {
        region.settle();
        Snapshot s = region.snapshots.get(snapshotId);
        if (s == null || s.state(region.now()) != SnapshotState.PENDING) {
            throw new IllegalStateException("not a pending snapshot: " + snapshotId);
        }
        s.failsAt = region.now();
        return this;
    }

    /** The next image registered or copied into this region ends in state {@code failed} instead of available. */
    public synchronized SimEc2 failNextImage() {
        region.failNextImages++;
        return this;
    }

    /** This pending image ends in state {@code failed} when it would have become available. */
    public synchronized SimEc2 failImage(String imageId) {
        Image image = region.images.get(imageId);
        if (image == null || image.state(region.now()) != ImageState.PENDING) {
            throw new IllegalStateException("not a pending image: " + imageId);
        }
        image.fails = true;
        return this;
    }

    /** Instances launched from this image from now on have an SSM agent (the AL2023 images always do). */
    public synchronized SimEc2 withSsmAgent(String imageId) {
        Image image = region.images.get(imageId);
        if (image == null) {
            throw new IllegalArgumentException("no such image: " + imageId);
        }
        image.ssmAgent = true;
        return this;
    }

    /** The instance's OS shuts down (e.g. {@code poweroff}): it stops or terminates per its launch setting. */
    public synchronized SimEc2 powerOffFromInside(String instanceId) {
        region.settle();
        instances.powerOffFromInside(instanceId);
        return this;
    }

    private Instance requireInstance(String instanceId) {
        region.settle();
        Instance i = region.instances.get(instanceId);
        if (i == null) {
            throw new IllegalArgumentException("no such instance: " + instanceId);
        }
        return i;
    }

    // ---- SimService

    /**
     * Live resources of this region, without AWS-owned ones (the public images) and without terminated instances.
     * The main route table and default security group of a VPC are listed; they go with their VPC.
     */
    @Override
    public synchronized List<SimResource> inventory() {
        region.settle();
        Instant now = region.now();
        List<SimResource> out = new ArrayList<>();
        region.vpcs.values().forEach(v -> out.add(resource("vpc", v, "available")));
        region.subnets.values().forEach(s -> out.add(resource("subnet", s, "available")));
        region.internetGateways.values().forEach(g ->
                out.add(resource("internet-gateway", g, g.vpcId == null ? "detached" : "attached")));
        region.routeTables.values().forEach(t -> out.add(resource("route-table", t, t.isMain() ? "main" : "available")));
        region.groups.values().forEach(g -> out.add(resource("security-group", g, "available")));
        region.instances.values().stream().filter(i -> i.state != InstanceStateName.TERMINATED)
                .forEach(i -> out.add(resource("instance", i, i.state.toString())));
        region.volumes.values().forEach(v -> out.add(resource("volume", v, v.state(now))));
        region.snapshots.values().forEach(s -> out.add(resource("snapshot", s, s.state(now).toString())));
        region.images.values().stream().filter(i -> i.ownerId.equals(SimAws.ACCOUNT_ID))
                .forEach(i -> out.add(resource("image", i, i.state(now).toString())));
        return out;
    }

    private SimResource resource(String type, Ec2Resources.Tagged r, String state) {
        return new SimResource(region.name, "ec2", type, r.id, state, Map.copyOf(r.tags));
    }

    /** The exception the SDK would raise: an {@link Ec2Exception} with AWS's code and HTTP status. */
    @Override
    public AwsServiceException error(String code, String message) {
        int status = switch (code) {
            case "RequestLimitExceeded", "Unavailable", "ServiceUnavailable" -> 503;
            case "InternalError", "InternalFailure", "ServerInternal" -> 500;
            default -> 400;
        };
        return Ec2Exception.builder().message(message).statusCode(status).requestId(nextRequestId())
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Ec2")
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build())
                .build();
    }
}
