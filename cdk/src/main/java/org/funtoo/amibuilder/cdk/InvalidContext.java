package org.funtoo.amibuilder.cdk;

import java.util.List;

/**
 * CDK context values the app cannot work with, one line each: the key, what is wrong and what it must be.
 * {@link AmiBuilderApp} prints the lines and exits, without a stack trace: the fault is the value, not the code.
 */
public final class InvalidContext extends IllegalArgumentException {
    private final List<String> problems;

    InvalidContext(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
