package org.funtoo.amibuilder.lambdas.bootstrap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.BootstrapParameter;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;

/**
 * Runs the stack's bootstrap document on the helper. Every value travels as a document parameter (an environment
 * variable of the script, never shell text); {@code ""} means "not given". The output goes to CloudWatch Logs in
 * full. SendCommand has no client token, so the command's Comment carries the build id and a retry finds the
 * first attempt's command through ListCommands instead of starting a second bootstrap on the same disk.
 */
public final class SendBootstrapCommandHandler extends Handler {
    private final SsmClient ssm;
    private final Ec2Client ec2;
    private final String documentName;
    private final String logGroup;
    private final String outputS3Bucket;

    public SendBootstrapCommandHandler() {
        this(HandlerDependencies.lambda());
    }

    /** {@code BOOTSTRAP_OUTPUT_S3_BUCKET}: where SSM also keeps the command's output, {@code ""} for CloudWatch only. */
    public SendBootstrapCommandHandler(HandlerDependencies deps) {
        this.ssm = deps.ssm();
        this.ec2 = deps.ec2();
        this.documentName = deps.require(Env.BOOTSTRAP_DOCUMENT_NAME);
        this.logGroup = deps.require(Env.BOOTSTRAP_LOG_GROUP);
        this.outputS3Bucket = deps.optional(Env.BOOTSTRAP_OUTPUT_S3_BUCKET);
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.BootstrapFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        String instanceId = resources.require(Resources.INSTANCE_ID);
        // the bootstrap partitions the volume and runs as root: only on this build's helper, and the commands
        // listed below are only that instance's (ListCommands has no resource-level permission to narrow it)
        BuildOwnership.requireInstance(ec2, instanceId, config.buildId(), "resources.instanceId");
        String comment = comment(config.buildId());
        String commandId = existing(instanceId, comment).orElseGet(() -> ssm.sendCommand(r -> {
            r.documentName(documentName)
                    .instanceIds(instanceId)
                    .comment(comment)
                    .parameters(parameters(config, resources.require(Resources.TARGET_VOLUME_ID)))
                    // SendCommand's own timeout only bounds the delivery; the run's limit is executionTimeout
                    .timeoutSeconds(DELIVERY_TIMEOUT_SECONDS)
                    .cloudWatchOutputConfig(c -> c.cloudWatchOutputEnabled(true).cloudWatchLogGroupName(logGroup));
            if (!outputS3Bucket.isEmpty()) {
                r.outputS3BucketName(outputS3Bucket).outputS3KeyPrefix(OUTPUT_S3_PREFIX + config.buildId());
            }
        }).command().commandId());
        return resources.with(Resources.COMMAND_ID, commandId).toMap();
    }

    /** An Online agent takes a command within seconds; one that has not started it in 10 minutes never will. */
    static final int DELIVERY_TIMEOUT_SECONDS = 600;

    /** The helper role may write below this prefix of the output bucket (the stack grants exactly that). */
    static final String OUTPUT_S3_PREFIX = "funtoo-ami-builder/";

    /** At most 100 characters (SSM's limit): the prefix is 19, a build id at most 80. */
    static String comment(String buildId) {
        return "funtoo-ami-builder " + buildId;
    }

    private Optional<String> existing(String instanceId, String comment) {
        return ssm.listCommands(r -> r.instanceId(instanceId)).commands().stream()
                .filter(c -> comment.equals(c.comment()) && documentName.equals(c.documentName()))
                .map(Command::commandId).findFirst();
    }

    /** The bootstrap document's parameters, as {@link BootstrapParameter} declares them: all strings. */
    public static Map<String, List<String>> parameters(BuildConfig config, String volumeId) {
        Map<String, List<String>> p = new LinkedHashMap<>(BootstrapParameter.parameters(config, volumeId));
        // the run step's timeoutSeconds; left out, the document's default (the stack's limit) applies
        config.timeoutMinutes().ifPresent(m -> p.put(BootstrapParameter.EXECUTION_TIMEOUT, List.of(Integer.toString(m * 60))));
        return p;
    }
}
