package org.funtoo.amibuilder.sim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the simulated instances do with the commands sent to them, decided by the test. Each SendCommand takes the
 * next outcome queued for its document, else the next outcome queued in order, else the fallback (by default the
 * bootstrap succeeding after {@link SimTimings#command}). All instances of one command share its outcome.
 */
public final class CommandScript {
    private final Map<String, Deque<CommandOutcome>> byDocument = new HashMap<>();
    private final Deque<CommandOutcome> inOrder = new ArrayDeque<>();
    private CommandOutcome fallback = CommandOutcome.bootstrapSucceeds();
    private Runner runner;

    /**
     * Decides an outcome from what the command was sent with: the document's name and its effective parameters
     * (defaults filled in), as the agent would hand them to the script.
     */
    @FunctionalInterface
    public interface Runner {
        CommandOutcome run(String documentName, Map<String, List<String>> parameters);
    }

    /** The default: every command is a successful bootstrap. */
    public static CommandScript bootstrapSucceeds() {
        return new CommandScript();
    }

    /** The next commands, whatever their document, end as given, in this order; then the fallback. */
    public static CommandScript inOrder(CommandOutcome... outcomes) {
        CommandScript script = new CommandScript();
        script.inOrder.addAll(List.of(outcomes));
        return script;
    }

    /** The next commands of {@code documentName} end as given (before any in-order outcome). */
    public synchronized CommandScript forDocument(String documentName, CommandOutcome... outcomes) {
        byDocument.computeIfAbsent(documentName, d -> new ArrayDeque<>()).addAll(List.of(outcomes));
        return this;
    }

    /**
     * Once the queued outcomes are used up, every command ends as {@code runner} says when given the command's
     * document and effective parameters (e.g. by running the real script with them).
     */
    public synchronized CommandScript otherwise(Runner runner) {
        this.runner = Objects.requireNonNull(runner);
        return this;
    }

    /** What every command ends as once the queued outcomes are used up. */
    public synchronized CommandScript otherwise(CommandOutcome outcome) {
        fallback = Objects.requireNonNull(outcome);
        runner = null;
        return this;
    }

    CommandOutcome next(String documentName, Map<String, List<String>> parameters) {
        Runner run;
        synchronized (this) {
            Deque<CommandOutcome> queued = byDocument.get(documentName);
            if (queued != null && !queued.isEmpty() || !inOrder.isEmpty() || runner == null) {
                return next(documentName);
            }
            run = runner;
        }
        return run.run(documentName, parameters);
    }

    synchronized CommandOutcome next(String documentName) {
        Deque<CommandOutcome> queued = byDocument.get(documentName);
        if (queued != null && !queued.isEmpty()) {
            return queued.poll();
        }
        if (!inOrder.isEmpty()) {
            return inOrder.poll();
        }
        return fallback;
    }
}
