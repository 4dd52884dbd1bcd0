package org.funtoo.amibuilder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.funtoo.amibuilder.sim.CallLog;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/**
 * Replays the simulated AWS's call log against the functions' IAM policies: every call a function made must be
 * allowed by its role, with the request context AWS would evaluate (resource tags at call time, tags requested at
 * creation, the implicit ec2:CreateTags of TagSpecifications, iam:PassRole for an instance profile).
 */
final class IamCheck {
    private static final Set<String> ALIASES_OF_RESOURCE_TAG = Set.of("aws:ResourceTag/", "ec2:ResourceTag/", "ssm:resourceTag/");
    /**
     * The resource types each creating operation brings into being: IAM sees no tags on those yet (only the
     * request's), and authorizes their TagSpecifications as ec2:CreateTags with ec2:CreateAction.
     */
    private static final Map<String, Set<String>> CREATES = Map.ofEntries(
            Map.entry("ec2:CreateVpc", Set.of("vpc")),
            Map.entry("ec2:CreateSubnet", Set.of("subnet")),
            Map.entry("ec2:CreateInternetGateway", Set.of("internet-gateway")),
            Map.entry("ec2:CreateRouteTable", Set.of("route-table")),
            Map.entry("ec2:CreateSecurityGroup", Set.of("security-group")),
            Map.entry("ec2:RunInstances", Set.of("instance", "volume", "network-interface", "spot-instances-request")),
            Map.entry("ec2:CreateVolume", Set.of("volume")),
            Map.entry("ec2:CreateSnapshot", Set.of("snapshot")),
            Map.entry("ec2:RegisterImage", Set.of("image")),
            Map.entry("ec2:CopyImage", Set.of("image")));

    private final SynthesizedTemplate template;
    private final IamPolicies policies;
    /** Every action each function was seen calling, across every execution checked. */
    private final Map<String, Set<String>> called = new TreeMap<>();

    IamCheck(SynthesizedTemplate template) {
        this.template = template;
        this.policies = new IamPolicies(template);
    }

    /**
     * Denials (empty = every call allowed). Calls attributed to non-functions (the test itself) are ignored, and so
     * are calls the simulation failed before looking at any resource (an injected throttle): they carry no resource
     * to authorize, and AWS throttles before it authorizes.
     */
    List<String> check(List<CallLog.Call> calls) {
        Map<String, SynthesizedTemplate.Function> functions = template.functions();
        List<String> denials = new ArrayList<>();
        for (CallLog.Call call : calls) {
            if (!functions.containsKey(call.caller()) || (!call.succeeded() && call.resources().isEmpty())) {
                continue;
            }
            for (IamPolicies.Request request : requestsOf(call)) {
                called.computeIfAbsent(call.caller(), k -> new TreeSet<>()).add(request.action());
                policies.denialOf(call.caller(), request)
                        .ifPresent(why -> denials.add(call.caller() + " (" + functions.get(call.caller()).handlerClass()
                                + "): " + why));
            }
        }
        return denials;
    }

    /** For each function: actions its policy allows that it was never seen calling. */
    Map<String, Set<String>> allowedButNeverCalled() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String fn : template.functions().keySet()) {
            Set<String> unused = new TreeSet<>();
            for (String allowed : policies.allowedActions(fn)) {
                if (!allowed.startsWith("ec2:") && !allowed.startsWith("ssm:") && !allowed.startsWith("states:")
                        && !allowed.startsWith("iam:")) {
                    continue; // logs, X-Ray: the platform's, not the handler's
                }
                boolean used = called.getOrDefault(fn, Set.of()).stream().anyMatch(a -> IamPolicies.glob(allowed, a, true));
                if (!used) {
                    unused.add(allowed);
                }
            }
            if (!unused.isEmpty()) {
                out.put(fn + " (" + template.functions().get(fn).handlerClass().replaceFirst(".*\\.", "") + ")", unused);
            }
        }
        return out;
    }

    /** Wildcard actions (service:* or *) in any function policy. */
    List<String> wildcardActions() {
        List<String> out = new ArrayList<>();
        for (String fn : template.functions().keySet()) {
            for (String a : policies.allowedActions(fn)) {
                if (a.equals("*") || a.endsWith(":*")) {
                    out.add(fn + ": " + a);
                }
            }
        }
        return out;
    }

    private List<IamPolicies.Request> requestsOf(CallLog.Call call) {
        List<IamPolicies.Request> out = new ArrayList<>();
        Map<String, String> requestTags = call.requestTags();
        List<CallLog.Touched> touched = call.resources().isEmpty()
                ? List.of(new CallLog.Touched("*", Map.of())) : call.resources();
        Set<String> created = CREATES.getOrDefault(call.action(), Set.of());
        Map<String, List<String>> callContext = new LinkedHashMap<>(requestContext(requestTags));
        if (call.request() instanceof RunInstancesRequest run && run.metadataOptions() != null) {
            callContext.put("ec2:MetadataHttpTokens", List.of(run.metadataOptions().httpTokensAsString()));
        }
        Map<String, Map<String, String>> byType = call.requestTagsByType();
        for (CallLog.Touched t : touched) {
            // a resource this call creates has no tags to condition on yet: only its request tags count
            boolean createdHere = created.contains(resourceType(t.arn()));
            Map<String, List<String>> context = new LinkedHashMap<>(callContext);
            Map<String, String> ownTags = requestTags;
            if (createdHere && call.service().equals("ec2")) {
                // EC2 authorizes each resource a call creates with the tags of its own TagSpecification:
                // aws:RequestTag / aws:TagKeys of a network interface are those of the network-interface
                // specification, not the instance's. AWS's policy examples for RunInstances therefore condition on
                // request tags only the resource types that are tagged, and allow the others in a statement of
                // their own: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ExamplePolicies_EC2.html
                // (Launch instances, "Tags"), https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
                ownTags = byType.getOrDefault(resourceType(t.arn()), Map.of());
                context.keySet().removeIf(k -> k.startsWith("aws:RequestTag/") || k.equals("aws:TagKeys"));
                context.putAll(requestContext(ownTags));
            }
            if (!createdHere) {
                t.tags().forEach((k, v) -> ALIASES_OF_RESOURCE_TAG.forEach(p -> context.put(p + k, List.of(v))));
            }
            out.add(new IamPolicies.Request(call.action(), t.arn(), context));
            if ("ssm:PutParameter".equals(call.action()) && !requestTags.isEmpty()) {
                // tags on PutParameter are authorized as ssm:AddTagsToResource on the parameter
                out.add(new IamPolicies.Request("ssm:AddTagsToResource", t.arn(), requestContext(requestTags)));
            }
            if (createdHere && !ownTags.isEmpty()) {
                Map<String, List<String>> tagContext = new LinkedHashMap<>(requestContext(ownTags));
                tagContext.put("ec2:CreateAction", List.of(call.operation()));
                out.add(new IamPolicies.Request("ec2:CreateTags", t.arn(), tagContext));
            }
        }
        if (call.request() instanceof RunInstancesRequest run && run.iamInstanceProfile() != null) {
            out.add(new IamPolicies.Request("iam:PassRole", roleBehindProfile(run.iamInstanceProfile().arn()),
                    Map.of("iam:PassedToService", List.of("ec2.amazonaws.com"))));
        }
        return out;
    }

    /** {@code arn:aws:ec2:region:account:vpc/vpc-1} → {@code vpc}. */
    private static String resourceType(String arn) {
        String[] parts = arn.split(":", 6);
        return parts.length < 6 ? "" : parts[5].replaceFirst("/.*$", "");
    }

    private static Map<String, List<String>> requestContext(Map<String, String> requestTags) {
        Map<String, List<String>> context = new LinkedHashMap<>();
        requestTags.forEach((k, v) -> context.put("aws:RequestTag/" + k, List.of(v)));
        if (!requestTags.isEmpty()) {
            context.put("aws:TagKeys", List.copyOf(new LinkedHashSet<>(requestTags.keySet())));
        }
        return context;
    }

    private String roleBehindProfile(String profileArn) {
        String profileId = profileArn == null ? "" : profileArn.substring(profileArn.lastIndexOf('/') + 1);
        JsonNode roles = template.resource(profileId).path("Properties").path("Roles");
        return "arn:aws:iam::" + SynthesizedTemplate.ACCOUNT + ":role/" + roles.get(0).path("Ref").asText();
    }
}
