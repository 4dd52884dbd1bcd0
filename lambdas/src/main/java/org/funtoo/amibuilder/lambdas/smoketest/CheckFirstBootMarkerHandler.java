package org.funtoo.amibuilder.lambdas.smoketest;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.BuildOwnership;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.PollState;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Smoke-test wait loop: until the serial console shows the image's first-boot service finishing for this instance.
 * Status checks only prove the OS answers ARP; the marker proves that init ran, the network came up and IMDSv2
 * answered (the service writes it after fetching the instance's key and hostname). EC2 posts console output with
 * a delay, so an empty or marker-less console means "look again", until the loop's deadline, which fails the build
 * with {@code SmokeTestFailed} and the last console lines. The service reporting its own failure ends the loop at
 * once.
 */
public final class CheckFirstBootMarkerHandler extends Handler {
    /**
     * The marker lines of bootstrap-scripts/firstboot/ami-firstboot.sh ({@code marker()}: {@code funtoo-ami-builder:
     * <text>} on /dev/console): success names the instance id the metadata service returned.
     */
    public static final String FIRST_BOOT_OK = "funtoo-ami-builder: first-boot ok instance=";
    public static final String FIRST_BOOT_FAILED = "funtoo-ami-builder: first-boot failed: ";
    static final long ESTIMATE_SECONDS = 20;
    private final Ec2Client ec2;
    private final Clock clock;

    public CheckFirstBootMarkerHandler() {
        this(HandlerDependencies.lambda());
    }

    public CheckFirstBootMarkerHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
        this.clock = deps.clock();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.SmokeTestFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        PollState poll = PollState.next(doc, clock);
        String instanceId = doc.resources().require(Resources.TEST_INSTANCE_ID);
        // the console of this build's test instance only (a direct invocation could name another's)
        BuildOwnership.requireInstance(ec2, instanceId, doc.config().buildId(), "resources.testInstanceId");
        String console = ConsoleOutput.read(ec2, instanceId, ConsoleOutput.nitro(doc.resources()));
        List<String> lines = ConsoleOutput.lines(console);
        if (lines.stream().anyMatch(l -> l.endsWith(FIRST_BOOT_OK + instanceId))) {
            return poll.done("marker");
        }
        Optional<String> failed = lines.stream().filter(l -> l.contains(FIRST_BOOT_FAILED)).findFirst();
        if (failed.isPresent()) {
            throw failure(instanceId, "its first-boot service failed ("
                    + failed.get().substring(failed.get().indexOf(FIRST_BOOT_FAILED) + FIRST_BOOT_FAILED.length())
                    + ")", console);
        }
        if (poll.pastDeadline()) {
            throw failure(instanceId, "no first-boot marker \"" + FIRST_BOOT_OK + instanceId + "\" on the console"
                    + " within " + poll.elapsed().getSeconds() + " s", console);
        }
        return poll.waiting(lines.isEmpty() ? "no-output" : "no-marker", ESTIMATE_SECONDS);
    }

    private static BuildFailure failure(String instanceId, String what, String console) {
        return BuildFailure.of(ErrorName.SmokeTestFailed, "test instance " + instanceId + ": " + what
                + ". Last console lines:\n" + ConsoleOutput.tail(console));
    }
}
