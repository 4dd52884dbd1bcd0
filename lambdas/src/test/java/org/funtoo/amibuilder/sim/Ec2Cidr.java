package org.funtoo.amibuilder.sim;

import java.util.Optional;

/** An IPv4 CIDR block, enough arithmetic for VPC/subnet ranges and private addresses. */
record Ec2Cidr(long base, int prefix) {

    static Optional<Ec2Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("/", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        String[] octets = parts[0].split("\\.", -1);
        if (octets.length != 4) {
            return Optional.empty();
        }
        try {
            long address = 0;
            for (String octet : octets) {
                int value = Integer.parseInt(octet);
                if (value < 0 || value > 255 || octet.isEmpty() || octet.length() > 3) {
                    return Optional.empty();
                }
                address = (address << 8) | value;
            }
            int prefix = Integer.parseInt(parts[1]);
            if (prefix < 0 || prefix > 32) {
                return Optional.empty();
            }
            long mask = mask(prefix);
            // AWS rejects host bits set ("10.0.0.1/16") as an invalid CIDR, like this
            if ((address & ~mask & 0xffffffffL) != 0) {
                return Optional.empty();
            }
            return Optional.of(new Ec2Cidr(address, prefix));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    long size() {
        return 1L << (32 - prefix);
    }

    long last() {
        return base + size() - 1;
    }

    boolean contains(Ec2Cidr other) {
        return other.base >= base && other.last() <= last();
    }

    boolean overlaps(Ec2Cidr other) {
        return base <= other.last() && other.base <= last();
    }

    /** The {@code n}th address of the block as dotted quad. */
    String address(long n) {
        long a = base + n;
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    @Override
    public String toString() {
        return address(0) + "/" + prefix;
    }
}
