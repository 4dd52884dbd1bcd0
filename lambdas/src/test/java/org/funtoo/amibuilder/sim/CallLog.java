package org.funtoo.amibuilder.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Every call made to the simulated AWS: who called (the handler / function name the test set as caller), which
 * service and operation, the request, when, and how it ended. The IAM check compares this log with the policies
 * in the synthesized template, so a call also records the resources it acted on (ARN + their tags at call time,
 * for {@code aws:ResourceTag} conditions) and the tags it asked to create ({@code aws:RequestTag}).
 */
public final class CallLog {

    /** One call; the simulated service enriches it while it handles the request. */
    public static final class Call {
        private final String caller;
        private final String service;
        private final String operation;
        private final Object request;
        private final Instant at;
        private volatile String errorCode;
        private volatile boolean violatedConstraint;
        private final List<Touched> resources = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, String> requestTags = Collections.synchronizedMap(new LinkedHashMap<>());
        private final Map<String, Map<String, String>> requestTagsByType =
                Collections.synchronizedMap(new LinkedHashMap<>());

        Call(String caller, String service, String operation, Object request, Instant at) {
            this.caller = caller;
            this.service = service;
            this.operation = operation;
            this.request = request;
            this.at = at;
        }

        /** Records that this call acted on a resource (IAM resource ARN and its tags at call time). */
        public Call touched(String arn, Map<String, String> tags) {
            resources.add(new Touched(arn, Map.copyOf(tags)));
            return this;
        }

        /** Records tags the call asked to attach at creation (TagSpecifications / Tags). */
        public Call requestTags(Map<String, String> tags) {
            requestTags.putAll(tags);
            return this;
        }

        /**
         * Records the tags one TagSpecification asked for one resource type the call creates ({@code instance},
         * {@code network-interface}, ...). IAM evaluates {@code aws:RequestTag} per created resource with its own
         * specification, so the IAM check needs them apart, not pooled.
         */
        public Call requestTags(String resourceType, Map<String, String> tags) {
            requestTagsByType.computeIfAbsent(resourceType, t -> new LinkedHashMap<>()).putAll(tags);
            requestTags.putAll(tags);
            return this;
        }

        void failed(String code) {
            this.errorCode = code;
        }

        void violatedConstraint() {
            this.violatedConstraint = true;
        }

        /** Whether the simulation refused the request for breaking a constraint of AWS's published API model. */
        public boolean violatedApiConstraint() { return violatedConstraint; }

        public String caller() { return caller; }
        public String service() { return service; }
        public String operation() { return operation; }
        public Object request() { return request; }
        public Instant at() { return at; }
        public String errorCode() { return errorCode; }
        public boolean succeeded() { return errorCode == null; }
        public List<Touched> resources() { return List.copyOf(resources); }
        public Map<String, String> requestTags() { return Map.copyOf(requestTags); }
        /** Tags requested per created resource type; empty when the service records only {@link #requestTags()}. */
        public Map<String, Map<String, String>> requestTagsByType() {
            synchronized (requestTagsByType) {
                Map<String, Map<String, String>> copy = new LinkedHashMap<>();
                requestTagsByType.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
                return copy;
            }
        }

        /** IAM action name, e.g. {@code ec2:RunInstances}. */
        public String action() {
            return service + ":" + operation;
        }

        @Override
        public String toString() {
            return at + " " + caller + " " + action() + (errorCode == null ? "" : " -> " + errorCode);
        }
    }

    /** A resource a call acted on. */
    public record Touched(String arn, Map<String, String> tags) {
    }

    private final List<Call> calls = new ArrayList<>();

    synchronized void add(Call call) {
        calls.add(call);
    }

    public synchronized List<Call> all() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> matching(Predicate<Call> p) {
        return calls.stream().filter(p).toList();
    }

    public synchronized long count(String service, String operation) {
        return calls.stream().filter(c -> c.service.equals(service) && c.operation.equals(operation)).count();
    }

    public synchronized int size() {
        return calls.size();
    }

    public synchronized void clear() {
        calls.clear();
    }
}
