package org.funtoo.amibuilder.sim;

/**
 * What an instance launched from a given image does once it runs, as a scenario decides it: the text on its serial
 * console (GetConsoleOutput) and whether its instance status check passes (DescribeInstanceStatus).
 * Set with {@link SimEc2#onBoot(String, BootBehaviour)}.
 */
public record BootBehaviour(String consoleOutput, boolean passesStatusChecks) {
    /** Replaced by the instance's id in the console text, as a first-boot service would print it. */
    public static final String INSTANCE_ID = "{instanceId}";

    public static BootBehaviour boots(String consoleOutput) {
        return new BootBehaviour(consoleOutput, true);
    }

    /** The instance runs, but the OS never answers: status checks end {@code impaired}. */
    public static BootBehaviour failsToBoot(String consoleOutput) {
        return new BootBehaviour(consoleOutput, false);
    }
}
