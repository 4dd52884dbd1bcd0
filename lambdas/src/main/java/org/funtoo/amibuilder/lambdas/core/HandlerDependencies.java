package org.funtoo.amibuilder.lambdas.core;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Everything a handler is built from: the AWS clients (of the function's region and, for the image's copies, of any
 * other), the clock, and the function's settings (its environment, {@link Env}). Every handler has the same two
 * constructors: {@code XHandler(HandlerDependencies)} takes what it needs from here, and the no-argument one the
 * Lambda runtime calls passes {@link #lambda()}. The unit tests and the end-to-end harness build this object from
 * the simulated account (and, in the harness, the function's environment in the synthesized template), so all three
 * construct handlers the same way.
 *
 * <p>Clients are built on first use and kept: a function builds only the clients its handler asks for, once per
 * Lambda instance (a client per region for the copies, {@link RegionalClients}). A setting the function does not
 * have fails the construction ({@link #require}), as a deployment bug should: at the cold start, not a build later.
 */
public final class HandlerDependencies {
    private final Function<String, Ec2Client> ec2;
    private final Function<String, SsmClient> ssm;
    private final Supplier<SfnClient> sfn;
    private final Supplier<EventBridgeClient> eventBridge;
    private final Supplier<SnsClient> sns;
    private final Clock clock;
    private final Function<String, String> environment;

    private HandlerDependencies(Builder b) {
        this.ec2 = RegionalClients.of(b.ec2);
        this.ssm = RegionalClients.of(b.ssm);
        this.sfn = once(b.sfn);
        this.eventBridge = once(b.eventBridge);
        this.sns = once(b.sns);
        this.clock = b.clock;
        this.environment = b.environment;
    }

    /**
     * What a deployed function has: clients configured by {@link AwsClients} for the region Lambda sets in
     * {@code AWS_REGION}, the system clock, the process environment.
     */
    public static HandlerDependencies lambda() {
        return builder()
                .ec2(AwsClients::ec2)
                .ssm(AwsClients::ssm)
                .sfn(AwsClients::sfn)
                .eventBridge(AwsClients::eventBridge)
                .sns(AwsClients::sns)
                .clock(Clock.systemUTC())
                .environment(System::getenv)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these dependencies, to change one of them (a test's other clock or setting). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.ec2 = ec2;
        b.ssm = ssm;
        b.sfn = sfn;
        b.eventBridge = eventBridge;
        b.sns = sns;
        b.clock = clock;
        b.environment = environment;
        return b;
    }

    /** The function's region, which Lambda sets in {@code AWS_REGION}. */
    public String region() {
        return require(Env.AWS_REGION);
    }

    /** EC2 of the function's region. */
    public Ec2Client ec2() {
        return ec2.apply(region());
    }

    /** EC2 of any region (the image's copies), one client per region. */
    public Function<String, Ec2Client> ec2ByRegion() {
        return ec2;
    }

    /** SSM of the function's region. */
    public SsmClient ssm() {
        return ssm.apply(region());
    }

    /** SSM of any region (the parameter is published in every region the image is in). */
    public Function<String, SsmClient> ssmByRegion() {
        return ssm;
    }

    public SfnClient sfn() {
        return sfn.get();
    }

    public EventBridgeClient eventBridge() {
        return eventBridge.get();
    }

    public SnsClient sns() {
        return sns.get();
    }

    public Clock clock() {
        return clock;
    }

    /** A setting the stack gives the function; missing or blank is a deployment bug and fails the construction. */
    public String require(String name) {
        return Env.require(environment, name);
    }

    /** An optional setting: {@code ""} when the stack leaves it unset. */
    public String optional(String name) {
        return Env.optional(environment, name);
    }

    private static <T> Supplier<T> once(Supplier<T> factory) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = factory.get();
                }
                return value;
            }
        };
    }

    private static <T> T notGiven(String what) {
        throw new IllegalStateException("no " + what + " client among this handler's dependencies");
    }

    public static final class Builder {
        private Function<String, Ec2Client> ec2 = region -> notGiven("EC2");
        private Function<String, SsmClient> ssm = region -> notGiven("SSM");
        private Supplier<SfnClient> sfn = () -> notGiven("Step Functions");
        private Supplier<EventBridgeClient> eventBridge = () -> notGiven("EventBridge");
        private Supplier<SnsClient> sns = () -> notGiven("SNS");
        private Clock clock = Clock.systemUTC();
        private Function<String, String> environment = name -> null;

        private Builder() {
        }

        /** EC2 clients by region. */
        public Builder ec2(Function<String, Ec2Client> byRegion) {
            this.ec2 = Objects.requireNonNull(byRegion);
            return this;
        }

        /** SSM clients by region. */
        public Builder ssm(Function<String, SsmClient> byRegion) {
            this.ssm = Objects.requireNonNull(byRegion);
            return this;
        }

        public Builder sfn(Supplier<SfnClient> sfn) {
            this.sfn = Objects.requireNonNull(sfn);
            return this;
        }

        public Builder eventBridge(Supplier<EventBridgeClient> eventBridge) {
            this.eventBridge = Objects.requireNonNull(eventBridge);
            return this;
        }

        public Builder sns(Supplier<SnsClient> sns) {
            this.sns = Objects.requireNonNull(sns);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The function's environment variables, by name ({@code null}: not set). */
        public Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment);
            return this;
        }

        public Builder environment(Map<String, String> environment) {
            Map<String, String> copy = Map.copyOf(environment);
            return environment(copy::get);
        }

        /** One setting changed (or added), the others kept. */
        public Builder setting(String name, String value) {
            Function<String, String> others = this.environment;
            return environment(n -> n.equals(name) ? value : others.apply(n));
        }

        public HandlerDependencies build() {
            return new HandlerDependencies(this);
        }
    }
}
