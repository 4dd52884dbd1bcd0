package org.funtoo.amibuilder.lambdas.notify;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Env;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;

/**
 * Event {@value #DETAIL_TYPE} and a message: the error, its cause and the state that failed, after the cleanup
 * has run (so the message can say what is left). Also for a build whose image was delivered but whose cleanup
 * failed ({@code CleanupFailed}): the execution fails then too.
 */
public final class NotifyFailureHandler extends NotifyHandler {
    public static final String DETAIL_TYPE = "AMI Build Failed";

    public NotifyFailureHandler() {
        this(HandlerDependencies.lambda());
    }

    public NotifyFailureHandler(HandlerDependencies deps) {
        super(deps.eventBridge(), deps.sns(), deps.require(Env.NOTIFICATION_TOPIC_ARN), deps.clock());
    }

    @Override
    protected Notification notification(StateDocument doc) {
        BuildConfig config = doc.config();
        FailureReport failure = FailureReport.of(doc.root());
        Map<String, Object> detail = commonDetail(config, "FAILED");
        detail.put("error", failure.error());
        detail.put("cause", failure.message());
        detail.put("failedState", failure.failedState());
        detail.put("keepResources", config.keepResources());

        String image = doc.resources().get(Resources.IMAGE_ID)
                .map(id -> id + " (" + config.imageName() + "), delivered")
                .orElse(config.imageName() + " (not published)");
        String left = config.keepResources() ? "kept for debugging (keepResources), tagged with the build id"
                : failure.error().equals(ErrorName.CleanupFailed.name()) ? "not all removed; the janitor's cleanup retries"
                : "removed by the build's cleanup";
        String text = "funtoo-ami-builder build " + config.buildId() + " failed.\n\n"
                + "Error:     " + failure.error() + "\n"
                + "State:     " + failure.failedState() + "\n"
                + "Image:     " + image + "\n"
                + "Region:    " + config.region() + "\n"
                + "Duration:  " + Notification.duration(buildSeconds(config)) + "\n"
                + "Resources: " + left + "\n"
                + "\nCause:\n" + failure.message() + "\n";
        return new Notification(DETAIL_TYPE, detail, List.of(),
                "funtoo-ami-builder: build " + config.buildId() + " failed: " + failure.error(), text);
    }
}
