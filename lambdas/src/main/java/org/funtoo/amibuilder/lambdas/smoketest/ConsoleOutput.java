package org.funtoo.amibuilder.lambdas.smoketest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.Resources;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The test instance's serial console (ttyS0, where the image's kernel, init and first-boot service write). The
 * latest output is asked for: without it EC2 returns a snapshot taken at boot, which may predate the first-boot
 * marker. The smoke test's failures carry its last lines, which is usually all that is needed to see why.
 */
final class ConsoleOutput {
    static final int TAIL_LINES = 25;
    /** Keeps a failure's cause readable and far below Step Functions' 32 KiB limit. */
    static final int TAIL_CHARS = 4000;

    private ConsoleOutput() {
    }

    /**
     * The console text so far; empty while EC2 has posted nothing. {@code Latest} only where the instance is Nitro:
     * EC2 serves the latest output of Nitro instances only and refuses the request on others
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetConsoleOutput.html).
     */
    static String read(Ec2Client ec2, String instanceId, boolean nitro) {
        String encoded = ec2.getConsoleOutput(r -> r.instanceId(instanceId).latest(nitro ? Boolean.TRUE : null))
                .output();
        return encoded == null || encoded.isEmpty() ? ""
                : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    /** Whether the preflight found the smoke test's type to be Nitro (absent: assume not, which works anywhere). */
    static boolean nitro(Resources resources) {
        return resources.get(Resources.SMOKE_TEST_HYPERVISOR).filter("nitro"::equals).isPresent();
    }

    static List<String> lines(String text) {
        return Arrays.stream(text.split("\r?\n")).map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    /** The last lines of {@code text}, for a failure message. */
    static String tail(String text) {
        List<String> lines = lines(text);
        if (lines.isEmpty()) {
            return "(the serial console is empty)";
        }
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        return tail.length() <= TAIL_CHARS ? tail : tail.substring(tail.length() - TAIL_CHARS);
    }

    /** The last lines of the instance's console, for diagnosis only: a failure to read them must not hide why. */
    static String tailOf(Ec2Client ec2, String instanceId, boolean nitro) {
        try {
            return tail(read(ec2, instanceId, nitro));
        } catch (AwsServiceException e) {
            return "(console output unavailable: " + AwsErrors.code(e) + ")";
        }
    }
}
