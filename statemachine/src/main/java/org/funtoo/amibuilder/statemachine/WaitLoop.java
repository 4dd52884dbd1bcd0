package org.funtoo.amibuilder.statemachine;

import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.Wait;
import software.amazon.awscdk.services.stepfunctions.WaitTime;
import software.amazon.awscdk.services.stepfunctions.tasks.LambdaInvoke;
import software.constructs.Construct;

/**
 * The one shape of every wait: check → Choice (done → next; timed out → give up; otherwise Wait → check).
 * The loop starts with the check, not the Wait, so something that is already done costs no wait; the check handler
 * starts the loop's clock when {@code poll.loop} differs from this loop's name, and the Wait sleeps for the
 * handler's clamped estimate ({@code $.poll.waitSeconds}). Never a sleep inside a Lambda.
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

    /** Done → {@code next}; past the deadline → the build fails with the loop's named timeout error. */
    void continueWith(IChainable next) {
        continueWith(next, Fail.Builder.create(scope, spec.timeoutError())
                .error(spec.timeoutError())
                .cause(spec.name() + ": not done within " + spec.deadline().toSeconds() + " s; the last check is "
                        + "in the execution history")
                .build());
    }

    /** Done → {@code next}; past the deadline → {@code onTimeout}. */
    void continueWith(IChainable next, IChainable onTimeout) {
        decision.when(Condition.booleanEquals(DONE, true), next)
                .when(Condition.booleanEquals(TIMED_OUT, true), onTimeout)
                .otherwise(wait);
    }
}
