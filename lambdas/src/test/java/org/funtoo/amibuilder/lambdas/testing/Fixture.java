package org.funtoo.amibuilder.lambdas.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.bootstrap.GetBootstrapCommandHandler;
import org.funtoo.amibuilder.lambdas.bootstrap.SendBootstrapCommandHandler;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.helper.CheckHelperInstanceRunningHandler;
import org.funtoo.amibuilder.lambdas.helper.LaunchHelperInstanceHandler;
import org.funtoo.amibuilder.lambdas.image.CreateSnapshotHandler;
import org.funtoo.amibuilder.lambdas.image.RegisterImageHandler;
import org.funtoo.amibuilder.lambdas.input.ResolveHelperImageHandler;
import org.funtoo.amibuilder.lambdas.input.SelectAvailabilityZoneHandler;
import org.funtoo.amibuilder.lambdas.input.ValidateInputHandler;
import org.funtoo.amibuilder.lambdas.network.CreateInternetGatewayHandler;
import org.funtoo.amibuilder.lambdas.network.CreateRouteTableHandler;
import org.funtoo.amibuilder.lambdas.network.CreateSecurityGroupHandler;
import org.funtoo.amibuilder.lambdas.network.CreateSubnetHandler;
import org.funtoo.amibuilder.lambdas.network.CreateVpcHandler;
import org.funtoo.amibuilder.lambdas.publish.CopyImageHandler;
import org.funtoo.amibuilder.lambdas.smoketest.CheckFirstBootMarkerHandler;
import org.funtoo.amibuilder.lambdas.smoketest.LaunchTestInstanceHandler;
import org.funtoo.amibuilder.lambdas.smoketest.TerminateTestInstanceHandler;
import org.funtoo.amibuilder.sim.BootBehaviour;
import org.funtoo.amibuilder.sim.SimAws;
import org.funtoo.amibuilder.sim.SimResource;

/**
 * One simulated account and the state documents the workflow would hand the handlers, built by running the real
 * handlers in workflow order: a test arranges "a helper is running" by running the states before it.
 */
public final class Fixture {
    public static final String BUILD_ID = "build-0001";
    public static final String PROFILE_ARN = "arn:aws:iam::123456789012:instance-profile/FuntooAmiBuilderHelper";
    public static final String DOCUMENT = "FuntooAmiBuilder-Bootstrap";
    /** What the stack gives the launch handler by default: AWS's images and the account's own. */
    public static final String HELPER_IMAGE_OWNERS = "amazon," + SimAws.ACCOUNT_ID;
    public static final String LOG_GROUP = "/funtoo-ami-builder/bootstrap";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a Funtoo image's serial console shows on a good first boot (the marker of ami-firstboot.sh). */
    public static final String FIRST_BOOT_CONSOLE = """
            [    0.000000] Linux version 6.6.58-gentoo-dist (root@funtoo) #1 SMP
            [    1.234567] nvme nvme0: 2/0/0 default/read/poll queues
            [    2.345678] EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode
             * Starting dhcpcd ...                                                     [ ok ]
             * Fetching the SSH key and hostname from the instance metadata service ...
            """ + CheckFirstBootMarkerHandler.FIRST_BOOT_OK + BootBehaviour.INSTANCE_ID + """

             * Starting sshd ...                                                       [ ok ]
            login:\s""";

    /** The stack's own bootstrap document (the same builder as the stack's), with a stand-in asset URL. */
    public static final String BOOTSTRAP_DOCUMENT = org.funtoo.amibuilder.lambdas.core.Json.write(
            org.funtoo.amibuilder.lambdas.core.BootstrapCommandDocument.content(
                    "https://example-bucket.s3.amazonaws.com/scripts.zip", "scripts.zip", 10800));

    public final SimAws aws = new SimAws();
    private Map<String, Object> config;

    public Fixture() {
        this("{}");
    }

    /** @param inputJson the execution input, validated by the real first state */
    public Fixture(String inputJson) {
        this.config = validate(inputJson);
        aws.ssm().registerDocument(DOCUMENT, BOOTSTRAP_DOCUMENT);
    }

    /**
     * What the handlers are built from here: this account's clients and clock, and the settings the stack gives the
     * functions (the same names; the values this fixture's account has).
     */
    public HandlerDependencies deps() {
        return aws.dependencies().environment(Map.of(
                Env.AWS_REGION, SimAws.HOME_REGION,
                Env.HELPER_INSTANCE_PROFILE_ARN, PROFILE_ARN,
                Env.HELPER_IMAGE_OWNERS, HELPER_IMAGE_OWNERS,
                Env.BOOTSTRAP_DOCUMENT_NAME, DOCUMENT,
                Env.BOOTSTRAP_LOG_GROUP, LOG_GROUP)).build();
    }

    /** {@link #deps()} with one setting changed or added, e.g. the notification topic a test created. */
    public HandlerDependencies deps(String setting, String value) {
        return deps().toBuilder().setting(setting, value).build();
    }

    /** Replaces the execution input (e.g. once the test has made the caller's subnet and group). */
    public Fixture input(String inputJson) {
        this.config = validate(inputJson);
        return this;
    }

    /**
     * A network of the caller's own, made without the builder's tags: a VPC, a subnet in zone b, a security group
     * with the default egress; with {@code internetRoute} an attached gateway and a default route to it, and
     * with {@code publicIps} public IPs on launch.
     */
    public CallerNetwork callerNetwork(boolean internetRoute, boolean publicIps) {
        var ec2 = aws.ec2();
        String vpcId = ec2.createVpc(r -> r.cidrBlock("172.31.0.0/16")).vpc().vpcId();
        String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("172.31.16.0/20")
                .availabilityZone(SimAws.HOME_REGION + "b")).subnet().subnetId();
        if (publicIps) {
            ec2.modifySubnetAttribute(r -> r.subnetId(subnetId).mapPublicIpOnLaunch(b -> b.value(true)));
        }
        if (internetRoute) {
            String igw = ec2.createInternetGateway(r -> { }).internetGateway().internetGatewayId();
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            String rtb = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
            ec2.createRoute(r -> r.routeTableId(rtb).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
            ec2.associateRouteTable(r -> r.routeTableId(rtb).subnetId(subnetId));
        }
        String groupId = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("builders")
                .description("caller's group")).groupId();
        return new CallerNetwork(vpcId, subnetId, groupId);
    }

    public record CallerNetwork(String vpcId, String subnetId, String groupId) {
        public String input() {
            return "{\"network\":{\"subnetId\":\"" + subnetId + "\",\"securityGroupId\":\"" + groupId + "\"}}";
        }
    }

    private Map<String, Object> validate(String inputJson) {
        Map<String, Object> event = new LinkedHashMap<>();
        try {
            event.put("input", JSON.readValue(inputJson, Map.class));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        event.put("buildId", BUILD_ID);
        event.put("startedAt", aws.clock().instant().toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = (Map<String, Object>) new ValidateInputHandler(deps())
                .handleRequest(event, null).get("config");
        return cfg;
    }

    public Map<String, Object> config() {
        return config;
    }

    /** The document a create / resolve / cleanup Task passes. */
    public Map<String, Object> doc(Map<String, Object> resources) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("config", config);
        doc.put("resources", resources);
        doc.put("poll", Map.of());
        return doc;
    }

    /**
     * A document whose {@code config.<section>.<field>} is {@code value}: a config the validator would refuse, to
     * show what AWS itself does with it.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> docWith(Map<String, Object> resources, String section, String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(config);
        Map<String, Object> inner = new LinkedHashMap<>((Map<String, Object>) changed.get(section));
        inner.put(field, value);
        changed.put(section, inner);
        Map<String, Object> doc = doc(resources);
        doc.put("config", changed);
        return doc;
    }

    /** The document a check Task passes: the previous poll and this loop's parameters. */
    public Map<String, Object> check(Map<String, Object> resources, Map<String, Object> poll, String loop) {
        Map<String, Object> doc = doc(resources);
        doc.put("poll", poll);
        doc.put("loop", Map.of("name", loop, "deadlineSeconds", 1800, "minWaitSeconds", 5, "maxWaitSeconds", 300));
        return doc;
    }

    /** What the janitor's cleanup starts from: the build id and nothing else. */
    public static Map<String, Object> janitorDoc() {
        return Map.of("config", Map.of("buildId", BUILD_ID), "resources", Map.of());
    }

    // ---- the workflow's states up to a point ------------------------------------------------------------------

    public Map<String, Object> preflight() {
        Map<String, Object> r = new ResolveHelperImageHandler(deps()).handleRequest(doc(Map.of()), null);
        return new SelectAvailabilityZoneHandler(deps()).handleRequest(doc(r), null);
    }

    public Map<String, Object> vpc() {
        return new CreateVpcHandler(deps()).handleRequest(doc(preflight()), null);
    }

    public Map<String, Object> subnet() {
        return new CreateSubnetHandler(deps()).handleRequest(doc(vpc()), null);
    }

    public Map<String, Object> gateway() {
        return new CreateInternetGatewayHandler(deps()).handleRequest(doc(subnet()), null);
    }

    public Map<String, Object> routeTable() {
        return new CreateRouteTableHandler(deps()).handleRequest(doc(gateway()), null);
    }

    public Map<String, Object> network() {
        return new CreateSecurityGroupHandler(deps()).handleRequest(doc(routeTable()), null);
    }

    public Map<String, Object> helperLaunched() {
        return new LaunchHelperInstanceHandler(deps()).handleRequest(doc(network()), null);
    }

    /** The helper runs and its agent is online; resources carry the target volume, as the workflow copies it. */
    public Map<String, Object> helperOnline() {
        Map<String, Object> resources = new LinkedHashMap<>(helperLaunched());
        aws.clock().advance(aws.timings().instancePending);
        Map<String, Object> poll = new CheckHelperInstanceRunningHandler(deps())
                .handleRequest(check(resources, Map.of(), "WaitForHelper"), null);
        if (!Boolean.TRUE.equals(poll.get("done"))) {
            throw new IllegalStateException("helper not running: " + poll);
        }
        resources.put(Resources.TARGET_VOLUME_ID, poll.get("targetVolumeId"));
        aws.clock().advance(aws.timings().ssmAgentOnline);
        return resources;
    }

    public Map<String, Object> bootstrapSent() {
        return new SendBootstrapCommandHandler(deps()).handleRequest(doc(helperOnline()), null);
    }

    /** The bootstrap succeeded; resources carry the stage3 facts, as the workflow copies them. */
    public Map<String, Object> bootstrapped() {
        Map<String, Object> resources = new LinkedHashMap<>(bootstrapSent());
        aws.clock().advance(aws.timings().command.plusMinutes(1));
        Map<String, Object> poll = new GetBootstrapCommandHandler(deps())
                .handleRequest(check(resources, Map.of(), "WaitForBootstrap"), null);
        if (!Boolean.TRUE.equals(poll.get("done"))) {
            throw new IllegalStateException("bootstrap not done: " + poll);
        }
        resources.put(Resources.STAGE3_URL, poll.get("stage3Url"));
        resources.put(Resources.STAGE3_SHA256, poll.get("stage3Sha256"));
        return resources;
    }

    public Map<String, Object> snapshotted() {
        return new CreateSnapshotHandler(deps()).handleRequest(doc(bootstrapped()), null);
    }

    public Map<String, Object> snapshotCompleted() {
        Map<String, Object> resources = snapshotted();
        aws.clock().advance(aws.timings().snapshot.plusSeconds(1));
        return resources;
    }

    public Map<String, Object> registered() {
        return new RegisterImageHandler(deps()).handleRequest(doc(snapshotCompleted()), null);
    }

    /** The AMI is available: where the smoke test starts. */
    public Map<String, Object> imageAvailable() {
        Map<String, Object> resources = registered();
        aws.clock().advance(aws.timings().image.plusSeconds(1));
        return resources;
    }

    /** The test instance of the new AMI was launched (not yet running). */
    public Map<String, Object> testInstanceLaunched() {
        return new LaunchTestInstanceHandler(deps()).handleRequest(doc(imageAvailable()), null);
    }

    /** The smoke test passed and the test instance is gone: where publishing starts. */
    public Map<String, Object> smokeTested() {
        Map<String, Object> resources = testInstanceLaunched();
        return new TerminateTestInstanceHandler(deps()).handleRequest(doc(resources), null);
    }

    /** The image and its copies in {@code publish.copyToRegions}, all available. */
    public Map<String, Object> copiesAvailable() {
        Map<String, Object> resources = new CopyImageHandler(deps()).handleRequest(doc(smokeTested()), null);
        aws.clock().advance(aws.timings().imageCopy.plusSeconds(1));
        return resources;
    }

        // ---- looking at the account --------------------------------------------------------------------------------

    public List<SimResource> inventory() {
        return aws.inventoryOfBuild(BUILD_ID);
    }

    public long live(String type) {
        return inventory().stream().filter(r -> r.type().equals(type)).count();
    }

    public long calls(String service, String operation) {
        return aws.calls().count(service, operation);
    }

    public static String id(Map<String, Object> resources, String key) {
        return (String) resources.get(key);
    }
}
