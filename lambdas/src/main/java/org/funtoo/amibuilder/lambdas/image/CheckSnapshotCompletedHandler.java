package org.funtoo.amibuilder.lambdas.image;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * Wait loop: until the snapshot is {@code completed}. The next look is timed by the progress so far (a snapshot
 * at 20% after two minutes needs about eight more), so a long snapshot costs few state transitions and a short
 * one is noticed soon. State {@code error} is {@code SnapshotFailed}.
 */
public final class CheckSnapshotCompletedHandler extends Handler {
    /** Before any progress is reported there is nothing to extrapolate from. */
    static final long NO_PROGRESS_ESTIMATE_SECONDS = 60;
    private final Ec2Client ec2;
    private final Clock clock;

    public CheckSnapshotCompletedHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckSnapshotCompletedHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.SnapshotFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        String snapshotId = doc.resources().require(Resources.SNAPSHOT_ID);
        Optional<Snapshot> found = describe(snapshotId);
        if (found.isEmpty()) {
            return poll.waiting("unknown", NO_PROGRESS_ESTIMATE_SECONDS);
        }
        Snapshot snapshot = found.get();
        String state = snapshot.stateAsString();
        switch (state) {
            case "completed":
                return poll.done(state, Map.of("progress", "100%"));
            case "error":
                throw BuildFailure.of(ErrorName.SnapshotFailed, "snapshot " + snapshotId + " failed: "
                        + Optional.ofNullable(snapshot.stateMessage()).orElse("no reason given"));
            default:
                Map<String, Object> waiting = poll.waiting(state, estimateSeconds(snapshot, clock.instant()));
                waiting.put("progress", Optional.ofNullable(snapshot.progress()).orElse("0%"));
                return waiting;
        }
    }

    /** Remaining time at the rate observed so far: elapsed × (100 − p) / p. */
    static long estimateSeconds(Snapshot snapshot, Instant now) {
        int percent = parsePercent(snapshot.progress());
        if (percent <= 0 || snapshot.startTime() == null) {
            return NO_PROGRESS_ESTIMATE_SECONDS;
        }
        long elapsed = Math.max(1, Duration.between(snapshot.startTime(), now).getSeconds());
        return elapsed * (100 - percent) / percent;
    }

    private static int parsePercent(String progress) {
        try {
            return progress == null ? 0 : Integer.parseInt(progress.replace("%", "").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Optional<Snapshot> describe(String snapshotId) {
        try {
            return ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)).snapshots().stream().findFirst();
        } catch (AwsServiceException e) {
            if (AwsErrors.notFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
