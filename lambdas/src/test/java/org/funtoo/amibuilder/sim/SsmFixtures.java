package org.funtoo.amibuilder.sim;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

/** Shared setup for the SSM tests: a bootstrap document like the stack's and instances the test starts. */
final class SsmFixtures {
    static final String DOCUMENT = "FuntooAmiBuilder-Bootstrap";
    static final String INSTANCE = "i-0123456789abcdef0";
    static final String BUILD_ID = "build-2026-01-01-a";

    /** Parameters as ARCHITECTURE's bootstrap interface defines them: strings, "" = not given, anchored patterns. */
    static final String BOOTSTRAP_DOCUMENT = """
            {
              "schemaVersion": "2.2",
              "description": "Bootstraps a Funtoo root volume on the helper instance",
              "parameters": {
                "volumeId":      {"type": "String", "default": "", "allowedPattern": "^(vol-[0-9a-f]{8,17})?$",
                                  "interpolationType": "ENV_VAR"},
                "distribution":  {"type": "String", "default": "funtoo", "allowedValues": ["funtoo", "gentoo"]},
                "architecture":  {"type": "String", "default": "x86_64", "allowedValues": ["x86_64", "arm64"]},
                "stage3Url":     {"type": "String", "default": "", "allowedPattern": "^(https://[A-Za-z0-9./_-]+)?$"},
                "stage3Sha256":  {"type": "String", "default": "", "allowedPattern": "^([0-9a-f]{64})?$"},
                "verifySignature": {"type": "String", "default": "true", "allowedValues": ["true", "false"]},
                "hostname":      {"type": "String", "default": "funtoo", "allowedPattern": "^[a-z0-9-]{1,63}$"},
                "extraPackages": {"type": "String", "default": "",
                                  "allowedPattern": "^([A-Za-z0-9_./+-]+( [A-Za-z0-9_./+-]+)*)?$"},
                "buildId":       {"type": "String", "allowedPattern": "^[A-Za-z0-9_-]{1,80}$"}
              },
              "mainSteps": [{
                "action": "aws:runShellScript",
                "name": "bootstrap",
                "inputs": {"timeoutSeconds": "7200", "runCommand": ["/opt/funtoo/bootstrap.sh"]}
              }]
            }
            """;

    /** Instances as EC2 would report them to SSM: when each entered running; absent = pending or gone. */
    static final class Instances {
        private final Map<String, Instant> runningSince = new HashMap<>();

        Optional<Instant> runningSince(String id) {
            return Optional.ofNullable(runningSince.get(id));
        }

        void running(String id, Instant since) {
            runningSince.put(id, since);
        }

        void gone(String id) {
            runningSince.remove(id);
        }
    }

    private SsmFixtures() {
    }

    /** An SSM with the bootstrap document whose instances come from {@code instances}. */
    static SimSsm ssm(SimAws aws, Instances instances) {
        SimSsm ssm = aws.ssm();
        ssm.instanceRunningSince = instances::runningSince;
        ssm.registerDocument(DOCUMENT, BOOTSTRAP_DOCUMENT);
        return ssm;
    }

    /** Starts {@link #INSTANCE} now and advances the clock until its agent is Online. */
    static void onlineInstance(SimAws aws, Instances instances) {
        instances.running(INSTANCE, aws.clock().instant());
        aws.clock().advance(aws.timings().ssmAgentOnline);
    }

    static SendCommandRequest.Builder bootstrap(Map<String, List<String>> parameters) {
        return SendCommandRequest.builder().documentName(DOCUMENT).instanceIds(INSTANCE)
                .comment("funtoo-ami-builder " + BUILD_ID).timeoutSeconds(600).parameters(parameters);
    }

    static SendCommandRequest.Builder bootstrap() {
        return bootstrap(Map.of("buildId", List.of(BUILD_ID), "volumeId", List.of("vol-0123456789abcdef0")));
    }
}
