package org.funtoo.amibuilder.statemachine;

import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.ILogGroup;

/**
 * What {@link BuildWorkflow} needs: a function per handler name (the stack passes its functions, tests pass
 * imported ones), where the state machines log, and the time limits.
 *
 * @param functions         handler class name ({@code CreateVpcHandler}) → the function running it
 * @param buildTimeout      the whole build execution, a backstop behind the per-loop deadlines
 * @param bootstrapDeadline how long {@code WaitForBootstrap} waits before {@code BootstrapTimeout}
 * @param cleanupTimeout    the cleanup state machine's execution
 */
public record BuildWorkflowProps(Map<String, IFunction> functions, ILogGroup buildLogGroup,
                                 ILogGroup cleanupLogGroup, Duration buildTimeout, Duration bootstrapDeadline,
                                 Duration cleanupTimeout) {
    public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.hours(6);
    public static final Duration DEFAULT_BOOTSTRAP_DEADLINE = Duration.hours(3);
    public static final Duration DEFAULT_CLEANUP_TIMEOUT = Duration.hours(2);

    public BuildWorkflowProps {
        functions = Map.copyOf(Objects.requireNonNull(functions, "functions"));
        Objects.requireNonNull(buildLogGroup, "buildLogGroup");
        Objects.requireNonNull(cleanupLogGroup, "cleanupLogGroup");
        Objects.requireNonNull(buildTimeout, "buildTimeout");
        Objects.requireNonNull(bootstrapDeadline, "bootstrapDeadline");
        Objects.requireNonNull(cleanupTimeout, "cleanupTimeout");
        if (bootstrapDeadline.toSeconds().longValue() >= buildTimeout.toSeconds().longValue()) {
            throw new IllegalArgumentException("the bootstrap deadline must be shorter than the build timeout");
        }
    }

    /** The default limits: a 6 h build, of which the bootstrap may take 3 h. */
    public static BuildWorkflowProps of(Map<String, IFunction> functions, ILogGroup buildLogGroup,
                                        ILogGroup cleanupLogGroup) {
        return new BuildWorkflowProps(functions, buildLogGroup, cleanupLogGroup, DEFAULT_BUILD_TIMEOUT,
                DEFAULT_BOOTSTRAP_DEADLINE, DEFAULT_CLEANUP_TIMEOUT);
    }
}
