package org.funtoo.amibuilder.statemachine;

import java.util.EnumMap;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import software.amazon.awscdk.services.stepfunctions.Choice;
import software.amazon.awscdk.services.stepfunctions.Condition;
import software.amazon.awscdk.services.stepfunctions.Fail;
import software.constructs.Construct;

/**
 * How a build that caught a named error ends, generated from the handlers' {@link ErrorName}: one Fail state per
 * name, called by the name, whose Error is the short name ({@code BootstrapFailed}) and whose Cause is the caught
 * cause unchanged.
 *
 * <p>A handler's error reaches Step Functions as the exception's fully qualified class name
 * ({@link ErrorName#errorType()}, which is what Retry and Catch match); the execution's error, which the console,
 * DescribeExecution and the janitor show, is what the final Fail state says. So the long name is matched and the
 * short one shown.
 */
final class NamedErrorEnds {
    private final Map<ErrorName, Fail> ends = new EnumMap<>(ErrorName.class);
    private final String errorPath;

    /** The Fail states, each reading its cause from {@code errorPath}{@code .Cause}, where a Catch wrote it. */
    NamedErrorEnds(Construct scope, String errorPath) {
        this.errorPath = errorPath;
        for (ErrorName name : ErrorName.values()) {
            ends.put(name, Fail.Builder.create(scope, name.name())
                    .error(name.name())
                    .causePath(errorPath + ".Cause")
                    .build());
        }
    }

    Fail of(ErrorName name) {
        return ends.get(name);
    }

    /** Adds a rule per named error to {@code choice}: an error caught at the error path ends in its Fail state. */
    Choice addRulesTo(Choice choice) {
        for (ErrorName name : ErrorName.values()) {
            choice.when(Condition.and(
                            Condition.isPresent(errorPath + ".Error"),
                            Condition.stringEquals(errorPath + ".Error", name.errorType())),
                    ends.get(name));
        }
        return choice;
    }
}
