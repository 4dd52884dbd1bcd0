package org.funtoo.amibuilder.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AddTagsToResourceRequest;
import software.amazon.awssdk.services.ssm.model.AddTagsToResourceResponse;
import software.amazon.awssdk.services.ssm.model.CancelCommandRequest;
import software.amazon.awssdk.services.ssm.model.CancelCommandResponse;
import software.amazon.awssdk.services.ssm.model.CommandFilter;
import software.amazon.awssdk.services.ssm.model.CommandStatus;
import software.amazon.awssdk.services.ssm.model.DeleteParameterRequest;
import software.amazon.awssdk.services.ssm.model.DeleteParameterResponse;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationRequest;
import software.amazon.awssdk.services.ssm.model.DescribeInstanceInformationResponse;
import software.amazon.awssdk.services.ssm.model.DescribeParametersRequest;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationRequest;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.GetParameterRequest;
import software.amazon.awssdk.services.ssm.model.GetParameterResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.GetParametersRequest;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.InstanceInformation;
import software.amazon.awssdk.services.ssm.model.InstanceInformationFilter;
import software.amazon.awssdk.services.ssm.model.InstanceInformationStringFilter;
import software.amazon.awssdk.services.ssm.model.ListCommandsRequest;
import software.amazon.awssdk.services.ssm.model.ListCommandsResponse;
import software.amazon.awssdk.services.ssm.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.ssm.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.PingStatus;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterResponse;
import software.amazon.awssdk.services.ssm.model.RemoveTagsFromResourceRequest;
import software.amazon.awssdk.services.ssm.model.RemoveTagsFromResourceResponse;
import software.amazon.awssdk.services.ssm.model.ResourceTypeForTagging;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Tag;

/**
 * Simulated Systems Manager of one region: Parameter Store (with the public Amazon Linux parameters), Command
 * documents registered by the test, managed instances whose agent comes online {@link SimTimings#ssmAgentOnline}
 * after EC2 reports them running, and Run Command with outcomes the test scripts ({@link #scriptCommands}).
 *
 * <p>SSM learns about instances only through {@link SimEc2#runningSince}, so DescribeInstanceInformation without
 * an InstanceIds filter lists the instances it has already been asked about. A sent command reaches the agent
 * {@link SsmInvocation#DELIVERY} after SendCommand; until then GetCommandInvocation answers InvocationDoesNotExist,
 * as AWS does right after sending.
 */
public final class SimSsm implements SsmClient, SimService {
    private static final String IAM_SERVICE = "ssm";
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(\\w{8}|\\w{17})|mi-\\w{17}");
    private static final Pattern COMMAND_ID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    private static final int MAX_COMMENT = 100;
    private static final int DEFAULT_DELIVERY_TIMEOUT = 3600;
    private static final int MAX_STDOUT = 24000;
    private static final int MAX_STDERR = 8000;
    private static final ModeledErrors ERRORS = new ModeledErrors(SsmException.class, SsmException::builder,
            "Ssm");

    private final SimAws aws;
    private final String region;
    private final SsmParameterStore parameters;
    private final Map<String, SsmDocument> documents = new LinkedHashMap<>();
    private final Map<String, SsmCommand> commands = new LinkedHashMap<>();
    private final Set<String> withoutAgent = new HashSet<>();
    /** Instances seen Online, with the last time they were; they show ConnectionLost once gone. */
    private final Map<String, Instant> lastPing = new LinkedHashMap<>();
    private CommandScript script = CommandScript.bootstrapSucceeds();

    /**
     * When EC2 says an instance entered {@code running} (empty while pending, stopped or gone). Tests may replace
     * it to drive SSM without EC2. Bound once here: looking up the EC2 region later, under this service's lock,
     * would take the account's lock in the opposite order to {@link SimAws#inventory()}.
     */
    Function<String, Optional<Instant>> instanceRunningSince;
    /** The instance's EC2 tags, for IAM conditions on SendCommand's instance resource. */
    Function<String, Map<String, String>> instanceTags;
    /**
     * Why the instance's agent cannot register with SSM, empty when it can. The agent registers only from an
     * image that has it, with an instance profile whose role lets it talk to SSM, and with a way to reach the SSM
     * endpoints (here: a public address and a route to an internet gateway; the simulation has no VPC endpoints).
     * https://docs.aws.amazon.com/systems-manager/latest/userguide/troubleshooting-managed-nodes.html
     */
    private final Function<String, Optional<String>> agentCannotRegister;

    SimSsm(SimAws aws, String region) {
        this.aws = aws;
        this.region = region;
        this.parameters = new SsmParameterStore(region, aws.clock().instant().minus(Duration.ofDays(3)));
        SimEc2 ec2 = aws.ec2(region);
        this.instanceRunningSince = ec2::runningSince;
        this.instanceTags = ec2::instanceTags;
        this.agentCannotRegister = id -> ec2.instanceFacts(id).flatMap(SimSsm::whyAgentCannotRegister);
    }

    static Optional<String> whyAgentCannotRegister(SimEc2.InstanceFacts facts) {
        if (!facts.ssmAgentInstalled()) {
            return Optional.of("its image " + facts.imageId() + " has no SSM agent");
        }
        if (facts.iamInstanceProfileArn() == null) {
            return Optional.of("it has no instance profile");
        }
        if (!facts.internetAccess()) {
            return Optional.of("it cannot reach the SSM endpoints (no public address or no route to an internet gateway)");
        }
        return Optional.empty();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    // ---- test hooks --------------------------------------------------------------------------------------------

    /** Registers an account-owned Command document (what CloudFormation's CreateDocument would have made). */
    public synchronized void registerDocument(String name, String contentJson) {
        documents.put(name, SsmDocument.parse(name, contentJson));
    }

    /** Decides how the commands sent from now on end. */
    public synchronized void scriptCommands(CommandScript commandScript) {
        this.script = commandScript;
    }

    /** The SSM agent on this instance never registers (an image without the agent, or a broken one). */
    public synchronized void agentNeverRegisters(String instanceId) {
        withoutAgent.add(instanceId);
    }

    // ---- Parameter Store ---------------------------------------------------------------------------------------

    @Override
    public GetParameterResponse getParameter(GetParameterRequest r) {
        return op("GetParameter", r, call -> {
            required(r.name(), "name");
            Optional<SsmParameterStore.Stored> p = parameters.find(r.name());
            call.touched(parameters.arn(r.name()), p.map(SsmParameterStore.Stored::tags).orElse(Map.of()));
            SsmParameterStore.Stored found = parameters.get(r.name());
            return GetParameterResponse.builder()
                    .parameter(parameters.toParameter(found, Boolean.TRUE.equals(r.withDecryption()))).build();
        });
    }

    @Override
    public GetParametersResponse getParameters(GetParametersRequest r) {
        return op("GetParameters", r, call -> {
            if (r.names().isEmpty() || r.names().size() > 10) {
                throw new ServiceRejection("ValidationException", "1 validation error detected: Value at 'names' "
                        + "failed to satisfy constraint: Member must have length between 1 and 10");
            }
            var found = new ArrayList<software.amazon.awssdk.services.ssm.model.Parameter>();
            var invalid = new ArrayList<String>();
            for (String name : new LinkedHashSet<>(r.names())) {
                Optional<SsmParameterStore.Stored> p = parameters.find(name);
                call.touched(parameters.arn(name), p.map(SsmParameterStore.Stored::tags).orElse(Map.of()));
                p.ifPresentOrElse(
                        s -> found.add(parameters.toParameter(s, Boolean.TRUE.equals(r.withDecryption()))),
                        () -> invalid.add(name));
            }
            return GetParametersResponse.builder().parameters(found).invalidParameters(invalid).build();
        });
    }

    @Override
    public PutParameterResponse putParameter(PutParameterRequest r) {
        return op("PutParameter", r, call -> {
            Optional<SsmParameterStore.Stored> existing = parameters.find(r.name());
            if (r.name() != null) {
                call.touched(parameters.arn(r.name()), existing.map(SsmParameterStore.Stored::tags).orElse(Map.of()));
            }
            Map<String, String> requestTags = tagMap(r.tags());
            call.requestTags(requestTags);
            SsmParameterStore.Stored p = parameters.put(r, now());
            return PutParameterResponse.builder().version(p.version).tier(p.tier).build();
        });
    }

    @Override
    public DeleteParameterResponse deleteParameter(DeleteParameterRequest r) {
        return op("DeleteParameter", r, call -> {
            required(r.name(), "name");
            Optional<SsmParameterStore.Stored> p = parameters.find(r.name());
            call.touched(parameters.arn(r.name()), p.map(SsmParameterStore.Stored::tags).orElse(Map.of()));
            parameters.delete(r.name());
            return DeleteParameterResponse.builder().build();
        });
    }

    @Override
    public GetParametersByPathResponse getParametersByPath(GetParametersByPathRequest r) {
        return op("GetParametersByPath", r, call -> {
            required(r.path(), "path");
            int pageSize = pageSize(r.maxResults(), 10, 10);
            call.touched(parameters.arn(r.path()), Map.of());
            var matching = parameters.underPath(r.path(), Boolean.TRUE.equals(r.recursive())).stream()
                    .filter(p -> passes(p, r.parameterFilters()))
                    .map(p -> parameters.toParameter(p, Boolean.TRUE.equals(r.withDecryption())))
                    .toList();
            var page = PageToken.page(matching, r.nextToken(), pageSize, "GetParametersByPath", "InvalidNextToken");
            return GetParametersByPathResponse.builder().parameters(page.items()).nextToken(page.nextToken()).build();
        });
    }

    @Override
    public DescribeParametersResponse describeParameters(DescribeParametersRequest r) {
        return op("DescribeParameters", r, call -> {
            if (r.hasFilters() && r.hasParameterFilters()) {
                throw new ServiceRejection("InvalidFilter", "You can use either Filters or ParameterFilters in a "
                        + "single request, not both.");
            }
            if (r.hasFilters()) {
                throw new UnsupportedOperationException("the simulated SSM supports ParameterFilters only");
            }
            int pageSize = pageSize(r.maxResults(), 10, 50);
            var matching = parameters.owned().stream().filter(p -> passes(p, r.parameterFilters()))
                    .map(parameters::toMetadata).toList();
            var page = PageToken.page(matching, r.nextToken(), pageSize, "DescribeParameters", "InvalidNextToken");
            return DescribeParametersResponse.builder().parameters(page.items()).nextToken(page.nextToken()).build();
        });
    }

    @Override
    public AddTagsToResourceResponse addTagsToResource(AddTagsToResourceRequest r) {
        return op("AddTagsToResource", r, call -> {
            SsmParameterStore.Stored p = taggable(r.resourceType(), r.resourceId(), call);
            Map<String, String> tags = tagMap(r.tags());
            call.requestTags(tags);
            parameters.addTags(p, tags);
            return AddTagsToResourceResponse.builder().build();
        });
    }

    @Override
    public RemoveTagsFromResourceResponse removeTagsFromResource(RemoveTagsFromResourceRequest r) {
        return op("RemoveTagsFromResource", r, call -> {
            SsmParameterStore.Stored p = taggable(r.resourceType(), r.resourceId(), call);
            r.tagKeys().forEach(p.tags::remove);
            return RemoveTagsFromResourceResponse.builder().build();
        });
    }

    @Override
    public ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest r) {
        return op("ListTagsForResource", r, call -> {
            SsmParameterStore.Stored p = taggable(r.resourceType(), r.resourceId(), call);
            return ListTagsForResourceResponse.builder().tagList(p.tags.entrySet().stream()
                    .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList()).build();
        });
    }

    private SsmParameterStore.Stored taggable(ResourceTypeForTagging type, String id, CallLog.Call call) {
        if (type == null || type == ResourceTypeForTagging.UNKNOWN_TO_SDK_VERSION) {
            throw new ServiceRejection("InvalidResourceType", "The resource type is not valid.");
        }
        if (type != ResourceTypeForTagging.PARAMETER) {
            throw new UnsupportedOperationException("the simulated SSM tags parameters only, not " + type);
        }
        Optional<SsmParameterStore.Stored> p = parameters.find(id).filter(s -> !s.isPublic);
        call.touched(parameters.arn(id), p.map(SsmParameterStore.Stored::tags).orElse(Map.of()));
        return p.orElseThrow(() -> new ServiceRejection("InvalidResourceId", "The resource ID is not valid. "
                + "Verify that you entered the correct ID and try again."));
    }

    private static boolean passes(SsmParameterStore.Stored p, List<ParameterStringFilter> filters) {
        return filters.stream().allMatch(f -> SsmParameterStore.matches(p, f.key(), f.option(), f.values()));
    }

    // ---- managed instances -------------------------------------------------------------------------------------

    @Override
    public DescribeInstanceInformationResponse describeInstanceInformation(DescribeInstanceInformationRequest r) {
        return op("DescribeInstanceInformation", r, call -> {
            int pageSize = pageSize(r.maxResults(), 50, 50);
            if (r.maxResults() != null && r.maxResults() < 5) {
                throw new ServiceRejection("ValidationException", "1 validation error detected: Value at "
                        + "'maxResults' failed to satisfy constraint: Member must have value greater than or "
                        + "equal to 5");
            }
            Map<String, List<String>> filters = new LinkedHashMap<>();
            for (InstanceInformationFilter f : r.instanceInformationFilterList()) {
                filters.put(f.keyAsString(), f.valueSet());
            }
            for (InstanceInformationStringFilter f : r.filters()) {
                filters.put(f.key(), f.values());
            }
            for (String key : filters.keySet()) {
                if (!key.equals("InstanceIds") && !key.equals("PingStatus")) {
                    throw new UnsupportedOperationException("the simulated SSM filters instances by InstanceIds "
                            + "and PingStatus only, not " + key);
                }
            }
            List<String> candidates = filters.containsKey("InstanceIds") ? filters.get("InstanceIds") : known();
            for (String id : candidates) {
                if (!INSTANCE_ID.matcher(id).matches()) {
                    throw new ServiceRejection("InvalidInstanceInformationFilterValue", "The following instance ID "
                            + "is not valid: " + id);
                }
            }
            List<InstanceInformation> found = new ArrayList<>();
            for (String id : new LinkedHashSet<>(candidates)) {
                Optional<PingStatus> ping = pingStatus(id);
                if (ping.isPresent() && (!filters.containsKey("PingStatus")
                        || filters.get("PingStatus").contains(ping.get().toString()))) {
                    found.add(information(id, ping.get()));
                }
            }
            var page = PageToken.page(found, r.nextToken(), pageSize, "DescribeInstanceInformation",
                    "InvalidNextToken");
            return DescribeInstanceInformationResponse.builder().instanceInformationList(page.items())
                    .nextToken(page.nextToken()).build();
        });
    }

    private List<String> known() {
        Set<String> ids = new LinkedHashSet<>(lastPing.keySet());
        commands.values().forEach(c -> c.invocations().forEach(i -> ids.add(i.instanceId())));
        return List.copyOf(ids);
    }

    /** Online once the agent registered after the instance started running; ConnectionLost once it is gone. */
    private Optional<PingStatus> pingStatus(String instanceId) {
        Duration online = aws.timings().ssmAgentOnline;
        Optional<Instant> running = instanceRunningSince.apply(instanceId);
        if (online != null && !withoutAgent.contains(instanceId) && running.isPresent()
                && agentCannotRegister.apply(instanceId).isEmpty()
                && !now().isBefore(running.get().plus(online))) {
            lastPing.put(instanceId, now());
            return Optional.of(PingStatus.ONLINE);
        }
        return lastPing.containsKey(instanceId) ? Optional.of(PingStatus.CONNECTION_LOST) : Optional.empty();
    }

    private InstanceInformation information(String instanceId, PingStatus ping) {
        return InstanceInformation.builder()
                .instanceId(instanceId)
                .pingStatus(ping)
                .lastPingDateTime(lastPing.get(instanceId))
                .agentVersion("3.3.1142.0")
                .isLatestVersion(false)
                .platformType("Linux")
                .platformName("Amazon Linux")
                .platformVersion("2023")
                .resourceType("EC2Instance")
                .build();
    }

    // ---- Run Command -------------------------------------------------------------------------------------------

    @Override
    public SendCommandResponse sendCommand(SendCommandRequest r) {
        return op("SendCommand", r, call -> {
            SsmDocument document = document(r.documentName());
            call.touched(documentArn(document.name()), Map.of());
            if (r.documentVersion() != null && !Set.of("$DEFAULT", "$LATEST", "1").contains(r.documentVersion())) {
                throw new ServiceRejection("InvalidDocumentVersion", "The document version is not valid or does "
                        + "not exist.");
            }
            if (r.hasTargets()) {
                throw new UnsupportedOperationException("the simulated SSM sends commands by InstanceIds only");
            }
            if (r.instanceIds().isEmpty() || r.instanceIds().size() > 50) {
                throw new ServiceRejection("ValidationException", "1 validation error detected: Value at "
                        + "'instanceIds' failed to satisfy constraint: Member must have length between 1 and 50");
            }
            if (r.comment() != null && r.comment().length() > MAX_COMMENT) {
                throw new ServiceRejection("ValidationException", "1 validation error detected: Value at 'comment' "
                        + "failed to satisfy constraint: Member must have length less than or equal to "
                        + MAX_COMMENT);
            }
            int timeoutSeconds = r.timeoutSeconds() == null ? DEFAULT_DELIVERY_TIMEOUT : r.timeoutSeconds();
            if (timeoutSeconds < 30 || timeoutSeconds > 2592000) {
                throw new ServiceRejection("ValidationException", "1 validation error detected: Value at "
                        + "'timeoutSeconds' failed to satisfy constraint: Member must have value between 30 and "
                        + "2592000");
            }
            Map<String, List<String>> effective = document.resolve(r.parameters());
            if (new HashSet<>(r.instanceIds()).size() != r.instanceIds().size()) {
                throw new ServiceRejection("DuplicateInstanceId", "You can't specify an instance ID in more than "
                        + "one association.");
            }
            r.instanceIds().forEach(id -> call.touched(
                    "arn:aws:ec2:" + region + ":" + SimAws.ACCOUNT_ID + ":instance/" + id, instanceTags.apply(id)));
            List<String> notOnline = r.instanceIds().stream()
                    .filter(id -> !INSTANCE_ID.matcher(id).matches() || pingStatus(id).orElse(null) != PingStatus.ONLINE)
                    .toList();
            if (!notOnline.isEmpty()) {
                throw new ServiceRejection("InvalidInstanceId", "Instances " + notOnline
                        + " not in a valid state for account " + SimAws.ACCOUNT_ID);
            }
            Instant now = now();
            Duration executionTimeout = document.executionTimeout(effective);
            Instant expiresAt = now.plusSeconds(timeoutSeconds).plus(executionTimeout);
            CommandOutcome outcome = script.next(document.name(), effective);
            Duration scripted = outcome.durationOr(aws.timings().command);
            List<SsmInvocation> invocations = r.instanceIds().stream()
                    .map(id -> new SsmInvocation(id, now, instanceRunningSince.apply(id).orElseThrow(),
                            executionTimeout, expiresAt, outcome, scripted))
                    .toList();
            String commandId = UUID.randomUUID().toString();
            SsmCommand command = new SsmCommand(commandId, r, document, now, expiresAt, timeoutSeconds, invocations);
            commands.put(commandId, command);
            return SendCommandResponse.builder().command(command.toCommand(now)).build();
        });
    }

    @Override
    public ListCommandsResponse listCommands(ListCommandsRequest r) {
        return op("ListCommands", r, call -> {
            int pageSize = pageSize(r.maxResults(), 50, 50);
            if (r.commandId() != null) {
                command(r.commandId());
            }
            if (r.instanceId() != null && !INSTANCE_ID.matcher(r.instanceId()).matches()) {
                throw new ServiceRejection("InvalidInstanceId", "The instance ID is not valid: " + r.instanceId());
            }
            Instant now = now();
            var listed = commands.values().stream()
                    .filter(c -> r.commandId() == null || c.commandId().equals(r.commandId()))
                    .filter(c -> r.instanceId() == null || c.targets(r.instanceId()))
                    .filter(c -> r.filters().stream().allMatch(f -> passes(c, f, now)))
                    .sorted(Comparator.comparing(SsmCommand::requestedAt).reversed())
                    .map(c -> c.toCommand(now))
                    .toList();
            var page = PageToken.page(listed, r.nextToken(), pageSize, "ListCommands", "InvalidNextToken");
            return ListCommandsResponse.builder().commands(page.items()).nextToken(page.nextToken()).build();
        });
    }

    private static boolean passes(SsmCommand c, CommandFilter f, Instant now) {
        String value = f.value();
        return switch (f.keyAsString()) {
            case "InvokedAfter" -> !c.requestedAt().isBefore(instant(value));
            case "InvokedBefore" -> !c.requestedAt().isAfter(instant(value));
            case "DocumentName" -> c.documentName().equals(value);
            case "Status" -> {
                CommandStatus wanted = CommandStatus.fromValue(value);
                if (wanted == CommandStatus.UNKNOWN_TO_SDK_VERSION) {
                    throw new ServiceRejection("InvalidFilterValue", "The filter value " + value + " is not valid.");
                }
                yield c.status(now) == wanted;
            }
            case "ExecutionStage" -> switch (value) {
                case "Executing" -> !isFinal(c.status(now));
                case "Complete" -> isFinal(c.status(now));
                default -> throw new ServiceRejection("InvalidFilterValue", "The filter value " + value
                        + " is not valid.");
            };
            default -> throw new ServiceRejection("InvalidFilterKey", "The filter key " + f.keyAsString()
                    + " is not valid.");
        };
    }

    private static boolean isFinal(CommandStatus s) {
        return s != CommandStatus.PENDING && s != CommandStatus.IN_PROGRESS && s != CommandStatus.CANCELLING;
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            throw new ServiceRejection("InvalidFilterValue", "The filter value " + value + " is not a date.");
        }
    }

    @Override
    public GetCommandInvocationResponse getCommandInvocation(GetCommandInvocationRequest r) {
        return op("GetCommandInvocation", r, call -> {
            if (r.commandId() == null || !COMMAND_ID.matcher(r.commandId()).matches()) {
                throw new ServiceRejection("InvalidCommandId", "The command ID is not valid.");
            }
            if (r.instanceId() == null || !INSTANCE_ID.matcher(r.instanceId()).matches()) {
                throw new ServiceRejection("InvalidInstanceId", "The instance ID is not valid.");
            }
            Instant now = now();
            SsmCommand command = commands.get(r.commandId());
            SsmInvocation invocation = command == null ? null : command.invocation(r.instanceId())
                    .filter(i -> i.visible(now)).orElse(null);
            if (invocation == null) {
                throw new ServiceRejection("InvocationDoesNotExist", "");
            }
            String plugin = pluginName(command, r.pluginName());
            SendCommandRequest sent = command.request();
            var response = GetCommandInvocationResponse.builder()
                    .commandId(command.commandId())
                    .instanceId(invocation.instanceId())
                    .comment(sent.comment())
                    .documentName(command.documentName())
                    .documentVersion("1")
                    .pluginName(plugin)
                    .responseCode(invocation.responseCode(now))
                    .executionStartDateTime(invocation.deliveredAt().toString())
                    .status(invocation.status(now))
                    .statusDetails(invocation.statusDetails(now))
                    .standardOutputContent(first(invocation.stdout(now), MAX_STDOUT))
                    .standardErrorContent(first(invocation.stderr(now), MAX_STDERR))
                    .standardOutputUrl(outputUrl(command, invocation, plugin, "stdout"))
                    .standardErrorUrl(outputUrl(command, invocation, plugin, "stderr"))
                    .cloudWatchOutputConfig(sent.cloudWatchOutputConfig());
            invocation.endedAt(now).ifPresent(end -> response
                    .executionEndDateTime(end.toString())
                    .executionElapsedTime(Duration.between(invocation.deliveredAt(), end).toString()));
            return response.build();
        });
    }

    private static String pluginName(SsmCommand command, String requested) {
        List<String> steps = command.stepNames();
        if (requested == null) {
            if (steps.size() > 1) {
                throw new ServiceRejection("InvalidPluginName", "The document has more than one step; specify "
                        + "the PluginName.");
            }
            return steps.get(0);
        }
        if (!steps.contains(requested)) {
            throw new ServiceRejection("InvalidPluginName", "The plugin name is not valid.");
        }
        return requested;
    }

    private String outputUrl(SsmCommand command, SsmInvocation invocation, String plugin, String stream) {
        SendCommandRequest sent = command.request();
        if (sent.outputS3BucketName() == null) {
            return "";
        }
        String prefix = sent.outputS3KeyPrefix() == null ? "" : sent.outputS3KeyPrefix() + "/";
        return "https://s3." + region + ".amazonaws.com/" + sent.outputS3BucketName() + "/" + prefix
                + command.commandId() + "/" + invocation.instanceId() + "/awsrunShellScript/" + plugin + "/" + stream;
    }

    @Override
    public CancelCommandResponse cancelCommand(CancelCommandRequest r) {
        return op("CancelCommand", r, call -> {
            SsmCommand command = command(r.commandId());
            for (String id : r.instanceIds()) {
                if (!command.targets(id)) {
                    throw new ServiceRejection("InvalidInstanceId", "Instance " + id + " is not a target of "
                            + "command " + r.commandId());
                }
            }
            command.invocations().stream()
                    .filter(i -> r.instanceIds().isEmpty() || r.instanceIds().contains(i.instanceId()))
                    .forEach(i -> i.cancel(now()));
            return CancelCommandResponse.builder().build();
        });
    }

    private SsmCommand command(String commandId) {
        SsmCommand command = commandId == null ? null : commands.get(commandId);
        if (command == null) {
            throw new ServiceRejection("InvalidCommandId", "The command ID is not valid.");
        }
        return command;
    }

    private SsmDocument document(String nameOrArn) {
        String name = nameOrArn;
        String arnPrefix = "arn:aws:ssm:" + region + ":" + SimAws.ACCOUNT_ID + ":document/";
        if (name != null && name.startsWith(arnPrefix)) {
            name = name.substring(arnPrefix.length());
        }
        SsmDocument document = name == null ? null : documents.get(name);
        if (document == null) {
            throw new ServiceRejection("InvalidDocument", "Document " + nameOrArn + " does not exist in your "
                    + "account.");
        }
        return document;
    }

    private String documentArn(String name) {
        return "arn:aws:ssm:" + region + ":" + SimAws.ACCOUNT_ID + ":document/" + name;
    }

    /** Brings every running invocation up to the clock; SSM observes the instances only when it is called. */
    private void refreshInvocations() {
        Instant now = now();
        for (SsmCommand c : commands.values()) {
            for (SsmInvocation i : c.invocations()) {
                if (!i.ended(now)) {
                    i.refresh(now, instanceRunningSince.apply(i.instanceId()));
                }
            }
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    /** Every operation: logged (and maybe failed by injection) first, then run against the current state. */
    private synchronized <T> T op(String operation, Object request, Function<CallLog.Call, T> body) {
        CallLog.Call call = aws.enter(this, IAM_SERVICE, operation, request);
        try {
            refreshInvocations();
            return body.apply(call);
        } catch (ServiceRejection e) {
            throw aws.fail(this, call, e.code(), e.getMessage());
        }
    }

    /** AWS validates required members server side; the SDK sends whatever it is given. */
    private static void required(Object value, String member) {
        if (value == null) {
            throw new ServiceRejection("ValidationException", "1 validation error detected: Value null at '"
                    + member + "' failed to satisfy constraint: Member must not be null");
        }
    }

    private static int pageSize(Integer maxResults, int defaultSize, int max) {
        if (maxResults == null) {
            return defaultSize;
        }
        if (maxResults < 1 || maxResults > max) {
            throw new ServiceRejection("ValidationException", "1 validation error detected: Value at 'maxResults' "
                    + "failed to satisfy constraint: Member must have value between 1 and " + max);
        }
        return maxResults;
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    private static String first(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private Instant now() {
        return aws.clock().instant();
    }

    @Override
    public synchronized List<SimResource> inventory() {
        return parameters.owned().stream()
                .filter(p -> p.tags.containsKey(SimAws.BUILD_ID_TAG) || p.tags.containsKey(SimAws.MANAGED_TAG))
                .map(p -> new SimResource(region, IAM_SERVICE, "ssm-parameter", p.name, "available", p.tags()))
                .toList();
    }

    @Override
    public AwsServiceException error(String code, String message) {
        return ERRORS.of(code, message);
    }
}
