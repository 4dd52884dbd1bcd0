package org.funtoo.amibuilder.lambdas.bootstrap;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.BootstrapResult;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvocationDoesNotExistException;

/**
 * Wait loop: until the bootstrap command ends. The document writes the last 40 lines of the bootstrap log to
 * stderr, so {@code StandardErrorContent} (SSM keeps its first 8000 characters) holds the result line on success
 * and the reason on failure ({@link BootstrapResult} declares the line). Success yields {@code poll.stage3Url} /
 * {@code poll.stage3Sha256} / {@code poll.kernel} / {@code poll.bootstrapPhases} (the phase timings,
 * {@code name:seconds,...}, {@code ""} when the line has none); Failed, TimedOut and Cancelled are {@code BootstrapFailed} with the last lines in the message.
 */
public final class GetBootstrapCommandHandler extends Handler {
    static final int FAILURE_LINES = 15;
    static final int FAILURE_CHARS = 3000;
    /**
     * How often to look once the bootstrap could be done. Its end cannot be predicted (mirror speed, kernel, extra
     * packages), so the interval bounds the detection latency: 30 s at most.
     */
    static final long ESTIMATE_SECONDS = 30;
    /**
     * No bootstrap finishes sooner (download, unpack, configure, boot loader, scrub): the first look comes after
     * this, which saves the checks that could only say "still running".
     */
    static final long SHORTEST_BOOTSTRAP_SECONDS = 5 * 60;
    private final SsmClient ssm;
    private final Ec2Client ec2;
    private final String documentName;
    private final Clock clock;

    public GetBootstrapCommandHandler() {
        this(HandlerDependencies.lambda());
    }

    /** The bootstrap document's step that runs bootstrap.sh: GetCommandInvocation names it. */
    public static final String BOOTSTRAP_STEP = org.funtoo.amibuilder.lambdas.core.BootstrapCommandDocument.RUN_STEP;

    /** {@code BOOTSTRAP_DOCUMENT_NAME}: the stack's bootstrap document, the only command whose output this reads. */
    public GetBootstrapCommandHandler(HandlerDependencies deps) {
        this.ssm = deps.ssm();
        this.ec2 = deps.ec2();
        this.documentName = deps.require(Env.BOOTSTRAP_DOCUMENT_NAME);
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.BootstrapFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        Resources resources = doc.resources();
        String commandId = resources.require(Resources.COMMAND_ID);
        String instanceId = resources.require(Resources.INSTANCE_ID);
        // GetCommandInvocation has no resource-level permission: the role could read any command's output, so
        // this function reads only the bootstrap document's command on this build's helper
        BuildOwnership.requireInstance(ec2, instanceId, doc.config().buildId(), "resources.instanceId");
        GetCommandInvocationResponse invocation;
        try {
            invocation = ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(instanceId)
                    .pluginName(BOOTSTRAP_STEP));
        } catch (InvocationDoesNotExistException justSent) {
            // SendCommand is eventually consistent: the invocation appears shortly after.
            return poll.waiting("Pending", ESTIMATE_SECONDS);
        }
        if (!documentName.equals(invocation.documentName())) {
            throw BuildFailure.of(ErrorName.InvalidInput, "resources.commandId: " + commandId + " ran "
                    + invocation.documentName() + ", not this stack's bootstrap document " + documentName
                    + ": refusing to read its output");
        }
        String status = invocation.statusAsString();
        String stderr = Optional.ofNullable(invocation.standardErrorContent()).orElse("");
        switch (status) {
            case "Success":
                BootstrapResult result = BootstrapResult.lastIn(stderr).orElseThrow(() -> BuildFailure.of(
                        ErrorName.BootstrapFailed, "command " + commandId + " succeeded but printed no "
                                + BootstrapResult.PREFIX + " line; last output: " + lastLines(stderr)));
                Map<String, Object> facts = new LinkedHashMap<>();
                facts.put("stage3Url", result.stage3Url());
                facts.put("stage3Sha256", result.stage3Sha256());
                facts.put("kernel", result.kernel());
                // always present ("" when the line has no phases): the workflow copies it into resources
                facts.put(Resources.BOOTSTRAP_PHASES, result.phasesText());
                return poll.done(status, facts);
            case "Failed":
            case "TimedOut":
            case "Cancelled":
                String detail = invocation.statusDetails() == null ? status : invocation.statusDetails();
                throw BuildFailure.of(ErrorName.BootstrapFailed, "bootstrap " + detail + " (exit code "
                        + invocation.responseCode() + ", command " + commandId + "): " + lastLines(stderr));
            default:
                return poll.waiting(status, Math.max(ESTIMATE_SECONDS,
                        SHORTEST_BOOTSTRAP_SECONDS - poll.elapsed().getSeconds()));
        }
    }

    /** The last non-empty lines, bounded: enough to see why, small enough for a Step Functions error cause. */
    static String lastLines(String output) {
        List<String> lines = Arrays.stream(output.split("\\R")).filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            return "(no output)";
        }
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - FAILURE_LINES), lines.size()));
        return tail.length() <= FAILURE_CHARS ? tail : "..." + tail.substring(tail.length() - FAILURE_CHARS);
    }
}
