package org.funtoo.amibuilder.e2e;

import java.util.ArrayList;
import java.util.List;
import org.funtoo.amibuilder.sim.CallLog;

/**
 * The calls every end-to-end scenario made, gathered for the IAM check (issue 5, scenario 10), which replays them
 * against the synthesized policies once all scenarios have run.
 */
final class IamCalls {
    private static final List<CallLog.Call> CALLS = new ArrayList<>();

    private IamCalls() {
    }

    static synchronized void record(OfflineBuild account) {
        CALLS.addAll(account.aws.calls().all());
    }

    static synchronized List<CallLog.Call> all() {
        return List.copyOf(CALLS);
    }
}
