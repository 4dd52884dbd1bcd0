package org.funtoo.amibuilder.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Decides, per call, whether the simulated AWS fails it before doing anything. Two kinds of rule:
 * <ul>
 *   <li>{@link #failNth}: the Nth call (1-based, counted from when the rule is added) of one operation fails
 *       with the given error code, once;</li>
 *   <li>{@link #failFraction}: a fraction of the calls to the given services fail with one of the given codes
 *       (e.g. 30% {@code RequestLimitExceeded}), drawn from a seeded random so a run is repeatable.</li>
 * </ul>
 * An injected failure has no side effect: the request is not carried out.
 */
public final class FaultInjector {

    private record Nth(String service, String operation, int n, String errorCode) {
    }

    private record Fraction(Set<String> services, double fraction, List<String> codes) {
    }

    private final List<Nth> nth = new ArrayList<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private final List<Fraction> fractions = new ArrayList<>();
    private Random random = new Random(42);
    private int injected;

    /** The {@code n}th call (1-based, from now) of {@code service:operation} fails with {@code errorCode}. */
    public synchronized FaultInjector failNth(String service, String operation, int n, String errorCode) {
        if (n < 1) {
            throw new IllegalArgumentException("n is 1-based");
        }
        String key = service + ":" + operation;
        nth.add(new Nth(service, operation, seen.getOrDefault(key, 0) + n, errorCode));
        return this;
    }

    /** A fraction (0..1) of all calls to {@code services} fail, each with a code picked from {@code codes}. */
    public synchronized FaultInjector failFraction(Set<String> services, double fraction, List<String> codes) {
        if (fraction < 0 || fraction > 1 || codes.isEmpty()) {
            throw new IllegalArgumentException("fraction in [0,1] and at least one error code");
        }
        fractions.add(new Fraction(Set.copyOf(services), fraction, List.copyOf(codes)));
        return this;
    }

    public synchronized FaultInjector seed(long seed) {
        random = new Random(seed);
        return this;
    }

    public synchronized void clear() {
        nth.clear();
        fractions.clear();
    }

    /** How many calls were failed by injection so far. */
    public synchronized int injectedCount() {
        return injected;
    }

    /** @return the error code to fail this call with, or {@code null} to let it through. */
    synchronized String decide(String service, String operation) {
        String key = service + ":" + operation;
        int count = seen.merge(key, 1, Integer::sum);
        for (var it = nth.iterator(); it.hasNext(); ) {
            Nth rule = it.next();
            if (rule.service.equals(service) && rule.operation.equals(operation) && rule.n == count) {
                it.remove();
                injected++;
                return rule.errorCode;
            }
        }
        for (Fraction f : fractions) {
            if (f.services.contains(service) && random.nextDouble() < f.fraction) {
                injected++;
                return f.codes.get(random.nextInt(f.codes.size()));
            }
        }
        return null;
    }
}
