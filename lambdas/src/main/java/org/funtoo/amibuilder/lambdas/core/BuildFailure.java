package org.funtoo.amibuilder.lambdas.core;

/**
 * Base of the named errors. Throw with {@code throw BuildFailure.of(ErrorName.InvalidInput, "...")}; the concrete
 * class (unnamed package, same simple name as the enum constant) is what Step Functions sees as the error type.
 */
public class BuildFailure extends RuntimeException {
    private final ErrorName name;

    protected BuildFailure(ErrorName name, String message) {
        super(message);
        this.name = name;
    }

    public ErrorName errorName() {
        return name;
    }

    public static BuildFailure of(ErrorName name, String message) {
        try {
            return (BuildFailure) Class.forName(name.name())
                    .getConstructor(String.class)
                    .newInstance(message);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no error class for " + name, e);
        }
    }
}
