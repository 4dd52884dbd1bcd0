package org.funtoo.amibuilder.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.funtoo.amibuilder.sim.Ec2Ids.Kind;
import org.funtoo.amibuilder.sim.Ec2Resources.Rule;
import org.funtoo.amibuilder.sim.Ec2Resources.SecurityGroup;
import org.funtoo.amibuilder.sim.Ec2Resources.Vpc;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressRequest;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressResponse;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupRequest;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSecurityGroupRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupEgressRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupEgressResponse;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Security groups of non-default VPCs (the simulated account has no default VPC): a new group allows all egress
 * and no ingress; the VPC's default group cannot be deleted; a group in use by a network interface or referenced
 * by another group's rule cannot be deleted.
 */
final class Ec2SecurityGroups {
    private final Ec2Region r;

    Ec2SecurityGroups(Ec2Region region) {
        this.r = region;
    }

    CreateSecurityGroupResponse createSecurityGroup(CallLog.Call call, CreateSecurityGroupRequest q) {
        Map<String, Map<String, String>> tags = Ec2Tags.byType(q.tagSpecifications(), Set.of("security-group"),
                r.errors(call));
        if (q.groupName() == null || q.groupName().isEmpty()) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter groupName");
        }
        if (q.description() == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter groupDescription");
        }
        if (q.vpcId() == null) {
            throw r.fail(call, "VPCIdNotSpecified", "No default VPC for this user");
        }
        Vpc vpc = r.require(call, r.vpcs, Kind.VPC, q.vpcId());
        r.touch(call, Kind.VPC, vpc);
        String name = q.groupName();
        if (name.length() > 255 || name.startsWith("sg-")) {
            throw r.fail(call, "InvalidParameterValue", "Invalid security group name: " + name);
        }
        if (name.equals("default")) {
            throw r.fail(call, "InvalidGroup.Reserved", "The security group 'default' is reserved");
        }
        if (r.groups.values().stream().anyMatch(g -> g.vpcId.equals(vpc.id) && g.name.equals(name))) {
            throw r.fail(call, "InvalidGroup.Duplicate",
                    "The security group '" + name + "' already exists for VPC '" + vpc.id + "'");
        }
        SecurityGroup group = new SecurityGroup(r.ids.next("sg"), tags.getOrDefault("security-group", Map.of()),
                vpc.id, name, q.description(), false);
        group.egress.add(new Rule("-1", null, null, "0.0.0.0/0", null));
        r.groups.put(group.id, group);
        Ec2Tags.record(call, tags);
        r.touch(call, Kind.SECURITY_GROUP, group);
        return CreateSecurityGroupResponse.builder().groupId(group.id).tags(Ec2Tags.sdk(group.tags))
                .securityGroupArn(r.arn("security-group", group.id)).build();
    }

    private software.amazon.awssdk.services.ec2.model.SecurityGroup describe(SecurityGroup g) {
        return software.amazon.awssdk.services.ec2.model.SecurityGroup.builder()
                .groupId(g.id).groupName(g.name).description(g.description).vpcId(g.vpcId).ownerId(r.accountId())
                .securityGroupArn(r.arn("security-group", g.id)).tags(Ec2Tags.sdk(g.tags))
                .ipPermissions(permissions(g.ingress)).ipPermissionsEgress(permissions(g.egress)).build();
    }

    /** Flattened rules back into AWS's shape: one IpPermission per protocol and port range. */
    private List<IpPermission> permissions(Set<Rule> rules) {
        Map<List<Object>, List<Rule>> grouped = new LinkedHashMap<>();
        for (Rule rule : rules) {
            grouped.computeIfAbsent(Arrays.asList(rule.protocol(), rule.fromPort(), rule.toPort()),
                    k -> new ArrayList<>()).add(rule);
        }
        return grouped.values().stream().map(same -> IpPermission.builder()
                .ipProtocol(same.get(0).protocol()).fromPort(same.get(0).fromPort()).toPort(same.get(0).toPort())
                .ipRanges(same.stream().filter(x -> x.cidr() != null)
                        .map(x -> IpRange.builder().cidrIp(x.cidr()).build()).toList())
                .userIdGroupPairs(same.stream().filter(x -> x.groupId() != null)
                        .map(x -> UserIdGroupPair.builder().groupId(x.groupId()).userId(r.accountId()).build())
                        .toList())
                .build()).toList();
    }

    DescribeSecurityGroupsResponse describeSecurityGroups(CallLog.Call call, DescribeSecurityGroupsRequest q) {
        if (!q.groupNames().isEmpty()) {
            // group names only resolve in the default VPC, which this account does not have
            throw r.fail(call, "InvalidGroup.NotFound", "The security group '" + String.join(", ", q.groupNames())
                    + "' does not exist in default VPC 'none'");
        }
        Predicate<SecurityGroup> filter = Ec2Filters.<SecurityGroup>tagged(g -> g.tags)
                .on("group-id", g -> g.id)
                .on("group-name", g -> g.name)
                .on("vpc-id", g -> g.vpcId)
                .on("description", g -> g.description)
                .on("owner-id", g -> r.accountId())
                .matcher(q.filters(), r.invalidParameter(call));
        List<SecurityGroup> found = r.select(call, r.groups, Kind.SECURITY_GROUP, q.groupIds(), filter);
        Ec2Page<SecurityGroup> page = Ec2Page.of(found, q.maxResults(), q.nextToken(), r.invalidParameter(call));
        return DescribeSecurityGroupsResponse.builder()
                .securityGroups(page.items().stream().map(this::describe).toList()).nextToken(page.nextToken()).build();
    }

    DeleteSecurityGroupResponse deleteSecurityGroup(CallLog.Call call, DeleteSecurityGroupRequest q) {
        if (q.groupId() == null) {
            throw r.fail(call, "VPCIdNotSpecified",
                    "No default VPC for this user: delete security groups by GroupId");
        }
        SecurityGroup group = r.require(call, r.groups, Kind.SECURITY_GROUP, q.groupId());
        r.touch(call, Kind.SECURITY_GROUP, group);
        if (group.isDefault) {
            throw r.fail(call, "CannotDelete", "the specified group: \"" + group.id
                    + "\" name: \"default\" cannot be deleted by a user");
        }
        // a shutting-down instance still holds its network interface, and with it the group
        boolean inUse = r.instancesHoldingInterfaces().stream().anyMatch(i -> i.groupIds.contains(group.id));
        boolean referenced = r.groups.values().stream().filter(g -> g != group)
                .flatMap(g -> Stream.concat(g.ingress.stream(), g.egress.stream()))
                .anyMatch(rule -> group.id.equals(rule.groupId()));
        if (inUse || referenced) {
            throw r.fail(call, "DependencyViolation", "resource " + group.id + " has a dependent object");
        }
        r.groups.remove(group.id);
        return DeleteSecurityGroupResponse.builder().returnValue(true).groupId(group.id).build();
    }

    AuthorizeSecurityGroupIngressResponse authorizeIngress(CallLog.Call call, AuthorizeSecurityGroupIngressRequest q) {
        SecurityGroup group = groupById(call, q.groupId());
        return AuthorizeSecurityGroupIngressResponse.builder().returnValue(true)
                .securityGroupRules(authorize(call, group, group.ingress, q.ipPermissions(), false)).build();
    }

    AuthorizeSecurityGroupEgressResponse authorizeEgress(CallLog.Call call, AuthorizeSecurityGroupEgressRequest q) {
        SecurityGroup group = groupById(call, q.groupId());
        return AuthorizeSecurityGroupEgressResponse.builder().returnValue(true)
                .securityGroupRules(authorize(call, group, group.egress, q.ipPermissions(), true)).build();
    }

    RevokeSecurityGroupIngressResponse revokeIngress(CallLog.Call call, RevokeSecurityGroupIngressRequest q) {
        SecurityGroup group = groupById(call, q.groupId());
        revoke(call, group.ingress, q.ipPermissions());
        return RevokeSecurityGroupIngressResponse.builder().returnValue(true).build();
    }

    RevokeSecurityGroupEgressResponse revokeEgress(CallLog.Call call, RevokeSecurityGroupEgressRequest q) {
        SecurityGroup group = groupById(call, q.groupId());
        revoke(call, group.egress, q.ipPermissions());
        return RevokeSecurityGroupEgressResponse.builder().returnValue(true).build();
    }

    private SecurityGroup groupById(CallLog.Call call, String groupId) {
        if (groupId == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter groupId");
        }
        SecurityGroup group = r.require(call, r.groups, Kind.SECURITY_GROUP, groupId);
        r.touch(call, Kind.SECURITY_GROUP, group);
        return group;
    }

    private List<SecurityGroupRule> authorize(CallLog.Call call, SecurityGroup group, Set<Rule> into,
                                              List<IpPermission> permissions, boolean egress) {
        List<Rule> rules = flatten(call, permissions);
        for (Rule rule : rules) {
            if (into.contains(rule)) {
                throw r.fail(call, "InvalidPermission.Duplicate", "the specified rule \"" + rule + "\" already exists");
            }
        }
        into.addAll(rules);
        return rules.stream().map(rule -> SecurityGroupRule.builder().securityGroupRuleId(r.ids.next("sgr"))
                .groupId(group.id).groupOwnerId(r.accountId()).isEgress(egress).ipProtocol(rule.protocol())
                .fromPort(rule.fromPort()).toPort(rule.toPort()).cidrIpv4(rule.cidr()).build()).toList();
    }

    /** For a non-default VPC AWS revokes nothing and answers InvalidPermission.NotFound if any rule is absent. */
    private void revoke(CallLog.Call call, Set<Rule> from, List<IpPermission> permissions) {
        List<Rule> rules = flatten(call, permissions);
        for (Rule rule : rules) {
            if (!from.contains(rule)) {
                throw r.fail(call, "InvalidPermission.NotFound",
                        "The specified rule does not exist in this security group: " + rule);
            }
        }
        rules.forEach(from::remove);
    }

    private List<Rule> flatten(CallLog.Call call, List<IpPermission> permissions) {
        if (permissions.isEmpty()) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter ipPermissions");
        }
        List<Rule> out = new ArrayList<>();
        for (IpPermission p : permissions) {
            String protocol = protocol(call, p.ipProtocol());
            Integer from = protocol.equals("-1") ? null : p.fromPort();
            Integer to = protocol.equals("-1") ? null : p.toPort();
            if (!protocol.equals("-1") && (from == null || to == null || (!protocol.equals("icmp")
                    && (from < 0 || to > 65535 || from > to)))) {
                throw r.fail(call, "InvalidParameterValue", "Invalid port range " + from + "-" + to);
            }
            for (IpRange range : p.ipRanges()) {
                if (Ec2Cidr.parse(range.cidrIp()).isEmpty()) {
                    throw r.fail(call, "InvalidPermission.Malformed", "CIDR block " + range.cidrIp() + " is malformed");
                }
                out.add(new Rule(protocol, from, to, range.cidrIp(), null));
            }
            for (UserIdGroupPair pair : p.userIdGroupPairs()) {
                r.require(call, r.groups, Kind.SECURITY_GROUP, pair.groupId());
                out.add(new Rule(protocol, from, to, null, pair.groupId()));
            }
        }
        return out;
    }

    private String protocol(CallLog.Call call, String given) {
        if (given == null) {
            throw r.fail(call, "MissingParameter", "The request must contain the parameter ipProtocol");
        }
        return switch (given.toLowerCase(Locale.ROOT)) {
            case "-1" -> "-1";
            case "tcp", "6" -> "tcp";
            case "udp", "17" -> "udp";
            case "icmp", "1" -> "icmp";
            default -> throw r.fail(call, "InvalidParameterValue", "Invalid value '" + given + "' for IP protocol.");
        };
    }
}
