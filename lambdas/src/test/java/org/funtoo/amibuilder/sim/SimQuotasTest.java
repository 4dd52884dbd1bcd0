package org.funtoo.amibuilder.sim;

import static org.funtoo.amibuilder.sim.SimEc2Fixture.code;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.MarketType;

/** The account's default service quotas, per region, with AWS's error codes; a test may change them. */
class SimQuotasTest {
    private final SimEc2Fixture f = new SimEc2Fixture();
    private final SimEc2 ec2 = f.ec2;

    @Test
    void sixthVpcOfARegionFailsWithVpcLimitExceededUnlessTheQuotaIsRaised() {
        for (int i = 0; i < 5; i++) {
            f.vpc("10." + i + ".0.0/16");
        }
        assertEquals("VpcLimitExceeded", code(() -> f.vpc("10.5.0.0/16")));
        assertEquals(5, ec2.describeVpcs().vpcs().size(), "nothing was created");
        f.aws.ec2("eu-west-1").createVpc(b -> b.cidrBlock("10.5.0.0/16"));

        f.aws.quotas().set(SimAws.HOME_REGION, SimQuotas.Quota.VPCS, 6);
        f.vpc("10.5.0.0/16");
        assertEquals(6, ec2.describeVpcs().vpcs().size());
    }

    @Test
    void sixthInternetGatewayFailsWithInternetGatewayLimitExceeded() {
        for (int i = 0; i < 5; i++) {
            ec2.createInternetGateway(b -> { });
        }
        assertEquals("InternetGatewayLimitExceeded", code(() -> ec2.createInternetGateway(b -> { })));
        String one = ec2.describeInternetGateways().internetGateways().get(0).internetGatewayId();
        ec2.deleteInternetGateway(b -> b.internetGatewayId(one));
        ec2.createInternetGateway(b -> { });
    }

    @Test
    void runningStandardVcpusAreLimitedUntilAnInstanceHasTerminated() {
        SimEc2Fixture.Network net = f.network();
        String first = net.launchHelper().instanceId(); // t3.micro: 2 vCPUs
        net.launchHelper();
        assertEquals("VcpuLimitExceeded", code(net::launchHelper), "a third 2-vCPU instance passes 5 vCPUs");

        ec2.terminateInstances(b -> b.instanceIds(first));
        assertEquals("VcpuLimitExceeded", code(net::launchHelper), "shutting down still counts");
        f.advance(Duration.ofMinutes(5));
        net.launchHelper();
    }

    @Test
    void spotInstancesHaveAQuotaOfTheirOwn() {
        SimEc2Fixture.Network net = f.network();
        net.launchHelper();
        net.launchHelper();
        var spot = f.helperLaunch(net.subnetId, net.groupId)
                .instanceMarketOptions(m -> m.marketType(MarketType.SPOT)).build();
        ec2.runInstances(spot);
        ec2.runInstances(spot);
        assertEquals("MaxSpotInstanceCountExceeded", code(() -> ec2.runInstances(spot)));
    }
}
