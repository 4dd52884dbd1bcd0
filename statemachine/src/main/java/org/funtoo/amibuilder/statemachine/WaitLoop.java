package org.funtoo.amibuilder.statemachine;

import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.JsonPath;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.Wait;
import software.amazon.awscdk.services.stepfunctions.WaitTime;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The one shape of every wait: check → Choice (done → next; timed out → give up; otherwise Wait → check).
 * The loop starts with the check, not the Wait, so something that is already done costs no wait; the check handler
 * starts the loop's clock when {@code poll.loop} differs from this loop's name, and the Wait sleeps for the
 * handler's clamped estimate ({@code $.poll.waitSeconds}). Never a sleep inside a Lambda. A loop past its deadline
 * records its named timeout ({@code SnapshotTimeout}) and hands over to the cleanup like any other error.
 */
final class WaitLoop {
    static final String WAIT_SECONDS = "$.poll.waitSeconds";
    static final String DONE = "$.poll.done";
    static final String TIMED_OUT = "$.poll.timedOut";

    private final Construct scope;
    private final LoopSpec spec;
    private final LambdaInvoke check;
    private final Choice decision;
    private final Wait wait;

    WaitLoop(Construct scope, LoopSpec spec, WorkflowTasks tasks) {
        this.scope = scope;
        this.spec = spec;
        this.check = tasks.check(spec);
        this.decision = Choice.Builder.create(scope, spec.doneChoice()).build();
        this.wait = Wait.Builder.create(scope, spec.name())
                .time(WaitTime.secondsPath(WAIT_SECONDS))
                .build();
        check.next(decision);
        wait.next(check);
    }

    IChainable entry() {
        return check;
    }

    LambdaInvoke check() {
        return check;
    }

    /**
     * Done → {@code next}; past the deadline → the loop's named timeout error is written to {@code $.error}, as
     * the catch-all would write a task's error, and the build goes on to {@code onError} (its cleanup). The cause
     * carries the last check, so the final error says what was seen last.
     */
    void continueWithOrFail(IChainable next, IChainable onError) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("Error", spec.timeoutError());
        error.put("Cause", JsonPath.format(spec.name() + ": not done within " + spec.deadline().toSeconds()
                + " s; last check: {}", JsonPath.jsonToString(JsonPath.objectAt(WorkflowTasks.POLL))));
        continueWith(next, Pass.Builder.create(scope, spec.recordTimeout())
                .parameters(error)
                .resultPath(WorkflowTasks.ERROR)
                .build()
                .next(onError));
    }

    /** Done → {@code next}; past the deadline → {@code onTimeout}. */
    void continueWith(IChainable next, IChainable onTimeout) {
        decision.when(Condition.booleanEquals(DONE, true), next)
                .when(Condition.booleanEquals(TIMED_OUT, true), onTimeout)
                .otherwise(wait);
    }
}
