package org.funtoo.amibuilder.lambdas.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BootstrapResult;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;

/**
 * The execution's output (ARCHITECTURE.md, "The state document"): what was built and how long it took. The stage3 actually used comes
 * from the bootstrap's result line (copied to {@code resources}), falling back to what the input pinned.
 */
public final class SummarizeBuildHandler extends Handler {
    private final Clock clock;

    public SummarizeBuildHandler() {
        this(HandlerDependencies.lambda());
    }

    public SummarizeBuildHandler(HandlerDependencies deps) {
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.PreflightFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        Map<String, Object> stage3 = new LinkedHashMap<>();
        stage3.put("url", resources.get(Resources.STAGE3_URL).or(config::stage3Url).orElse(null));
        stage3.put("sha256", resources.get(Resources.STAGE3_SHA256).or(config::stage3Sha256).orElse(null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("imageId", resources.require(Resources.IMAGE_ID));
        out.put("imageName", config.imageName());
        out.put("snapshotId", resources.require(Resources.SNAPSHOT_ID));
        out.put("region", config.region());
        out.put("architecture", config.architecture());
        out.put("distribution", config.distribution());
        out.put("stage3", stage3);
        out.put("ssmParameter", config.ssmParameterName().orElse(null));
        out.put("buildSeconds", Duration.between(config.startedAt(), clock.instant()).getSeconds());
        out.put("copies", resources.strings(Resources.COPIES));
        Map<String, Object> timeline = new LinkedHashMap<>();
        timeline.put("startedAt", config.startedAt().toString());
        timeline.put("finishedAt", clock.instant().toString());
        timeline.put("bootstrapPhases", BootstrapResult.timeline(
                BootstrapResult.parsePhases(resources.get(Resources.BOOTSTRAP_PHASES).orElse(""))));
        out.put("timeline", timeline);
        return out;
    }
}
