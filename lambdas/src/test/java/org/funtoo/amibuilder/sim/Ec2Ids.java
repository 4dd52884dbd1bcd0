package org.funtoo.amibuilder.sim;

import java.util.regex.Pattern;

/**
 * EC2 resource ids of one simulated region: {@code prefix-} plus 17 hex digits like AWS, distinct per region so a
 * copied image never shares its source's id, and the error codes AWS answers a bad id with.
 */
final class Ec2Ids {

    /**
     * A kind of id. The codes are spelled out because AWS's casing is not derivable ({@code InvalidVpcID.Malformed}
     * but {@code InvalidGroupId.Malformed}; {@code InvalidRouteTableID.NotFound} but
     * {@code InvalidRouteTableId.Malformed}) and clients match the literal string.
     */
    enum Kind {
        VPC("vpc", "vpc", "InvalidVpcID.NotFound", "InvalidVpcID.Malformed", "vpc ID"),
        SUBNET("subnet", "subnet", "InvalidSubnetID.NotFound", "InvalidSubnetID.Malformed", "subnet ID"),
        INTERNET_GATEWAY("igw", "internet-gateway", "InvalidInternetGatewayID.NotFound",
                "InvalidInternetGatewayId.Malformed", "internetGateway ID"),
        ROUTE_TABLE("rtb", "route-table", "InvalidRouteTableID.NotFound", "InvalidRouteTableId.Malformed",
                "routeTable ID"),
        SECURITY_GROUP("sg", "security-group", "InvalidGroup.NotFound", "InvalidGroupId.Malformed",
                "security group"),
        INSTANCE("i", "instance", "InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed", "instance ID"),
        VOLUME("vol", "volume", "InvalidVolume.NotFound", "InvalidVolumeID.Malformed", "volume"),
        SNAPSHOT("snap", "snapshot", "InvalidSnapshot.NotFound", "InvalidSnapshotID.Malformed", "snapshot"),
        IMAGE("ami", "image", "InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "image id");

        final String prefix;
        final String arnType;
        final String notFound;
        final String malformed;
        final String noun;
        private final Pattern wellFormed;

        Kind(String prefix, String arnType, String notFound, String malformed, String noun) {
            this.prefix = prefix;
            this.arnType = arnType;
            this.notFound = notFound;
            this.malformed = malformed;
            this.noun = noun;
            // AWS still accepts the legacy 8-digit form next to the 17-digit one
            this.wellFormed = Pattern.compile(Pattern.quote(prefix) + "-([0-9a-f]{8}|[0-9a-f]{17})");
        }

        boolean isWellFormed(String id) {
            return id != null && wellFormed.matcher(id).matches();
        }

        static Kind ofId(String id) {
            for (Kind k : values()) {
                if (id != null && id.startsWith(k.prefix + "-")) {
                    return k;
                }
            }
            return null;
        }
    }

    private final String regionHex;
    private long next = 1;

    Ec2Ids(String region) {
        this.regionHex = String.format("%04x", region.hashCode() & 0xffff);
    }

    /** A new id such as {@code vpc-0a1b2000000000001}. */
    String next(String prefix) {
        return String.format("%s-0%s%012x", prefix, regionHex, next++);
    }
}
