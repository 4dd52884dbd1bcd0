package org.funtoo.amibuilder.lambdas.testing;

import org.funtoo.amibuilder.sim.SimAws;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Images that are not the builder's: what another team registered in the same account. */
public final class Images {
    private Images() {
    }

    public static String registerForeign(SimAws aws, String name) {
        Ec2Client ec2 = aws.ec2();
        String volumeId = ec2.createVolume(r -> r.availabilityZone(SimAws.HOME_REGION + "a").size(8)).volumeId();
        aws.clock().advance(aws.timings().volumeCreating);
        String snapshotId = ec2.createSnapshot(r -> r.volumeId(volumeId)).snapshotId();
        aws.clock().advance(aws.timings().snapshot.plusSeconds(1));
        return ec2.registerImage(r -> r.name(name).architecture("x86_64").rootDeviceName("/dev/xvda")
                .virtualizationType("hvm").enaSupport(true)
                .blockDeviceMappings(m -> m.deviceName("/dev/xvda").ebs(e -> e.snapshotId(snapshotId)))).imageId();
    }
}
