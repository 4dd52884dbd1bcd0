package org.funtoo.amibuilder.lambdas.core;

import java.util.Map;

/**
 * The execution's state document as a handler receives it (ARCHITECTURE.md, "The state document"): {@code config}, {@code resources},
 * {@code poll}, {@code error}, plus the {@code loop} parameters a wait loop's Task state adds for its check.
 */
public final class StateDocument {
    private final Section root;

    private StateDocument(Map<String, Object> input) {
        this.root = Section.of("", input);
    }

    public static StateDocument of(Map<String, Object> input) {
        return new StateDocument(input == null ? Map.of() : input);
    }

    public BuildConfig config() {
        return new BuildConfig(root.section("config"));
    }

    public Resources resources() {
        return new Resources(root.section("resources").copy());
    }

    public Section poll() {
        return root.section("poll");
    }

    public Section loop() {
        return root.section("loop");
    }

    public Section root() {
        return root;
    }
}
