package org.funtoo.amibuilder.sim;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.CommandStatus;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

/** A sent command: the request as SSM recorded it and one invocation per instance. */
final class SsmCommand {
    private final String commandId;
    private final SendCommandRequest request;
    private final String documentName;
    private final List<String> stepNames;
    private final Instant requestedAt;
    private final Instant expiresAt;
    private final int timeoutSeconds;
    private final List<SsmInvocation> invocations;

    SsmCommand(String commandId, SendCommandRequest request, SsmDocument document, Instant requestedAt,
               Instant expiresAt, int timeoutSeconds, List<SsmInvocation> invocations) {
        this.commandId = commandId;
        this.request = request;
        this.documentName = document.name();
        this.stepNames = document.stepNames();
        this.requestedAt = requestedAt;
        this.expiresAt = expiresAt;
        this.timeoutSeconds = timeoutSeconds;
        this.invocations = List.copyOf(invocations);
    }

    String commandId() { return commandId; }
    String documentName() { return documentName; }
    List<String> stepNames() { return stepNames; }
    Instant requestedAt() { return requestedAt; }
    SendCommandRequest request() { return request; }
    List<SsmInvocation> invocations() { return invocations; }

    Optional<SsmInvocation> invocation(String instanceId) {
        return invocations.stream().filter(i -> i.instanceId().equals(instanceId)).findFirst();
    }

    boolean targets(String instanceId) {
        return invocation(instanceId).isPresent();
    }

    /** The overall status: Pending until delivered, InProgress until every invocation ended, then the worst. */
    CommandStatus status(Instant now) {
        if (invocations.stream().noneMatch(i -> i.visible(now))) {
            return CommandStatus.PENDING;
        }
        if (!invocations.stream().allMatch(i -> i.ended(now))) {
            return CommandStatus.IN_PROGRESS;
        }
        for (CommandInvocationStatus worst : List.of(CommandInvocationStatus.FAILED,
                CommandInvocationStatus.TIMED_OUT, CommandInvocationStatus.CANCELLED)) {
            if (invocations.stream().anyMatch(i -> i.status(now) == worst)) {
                return CommandStatus.fromValue(worst.toString());
            }
        }
        return CommandStatus.SUCCESS;
    }

    String statusDetails(Instant now) {
        CommandStatus status = status(now);
        if (status == CommandStatus.SUCCESS || status == CommandStatus.PENDING
                || status == CommandStatus.IN_PROGRESS) {
            return status.toString();
        }
        return invocations.stream().filter(i -> i.status(now).toString().equals(status.toString()))
                .map(i -> i.statusDetails(now)).findFirst().orElse(status.toString());
    }

    Command toCommand(Instant now) {
        long completed = invocations.stream().filter(i -> i.ended(now)).count();
        long errors = invocations.stream().filter(i -> i.ended(now))
                .filter(i -> i.statusDetails(now).equals("Failed") || i.statusDetails(now).equals("ExecutionTimedOut"))
                .count();
        long deliveryTimedOut = invocations.stream().filter(i -> i.ended(now))
                .filter(i -> i.statusDetails(now).equals("DeliveryTimedOut")).count();
        return Command.builder()
                .commandId(commandId)
                .documentName(documentName)
                .documentVersion(request.documentVersion() == null ? "$DEFAULT" : request.documentVersion())
                .comment(request.comment())
                .expiresAfter(expiresAt)
                .parameters(request.parameters())
                .instanceIds(invocations.stream().map(SsmInvocation::instanceId).toList())
                .requestedDateTime(requestedAt)
                .status(status(now))
                .statusDetails(statusDetails(now))
                .outputS3Region(request.outputS3BucketName() == null ? null : request.outputS3Region())
                .outputS3BucketName(request.outputS3BucketName())
                .outputS3KeyPrefix(request.outputS3KeyPrefix())
                .maxConcurrency(request.maxConcurrency() == null ? "50" : request.maxConcurrency())
                .maxErrors(request.maxErrors() == null ? "0" : request.maxErrors())
                .targetCount(invocations.size())
                .completedCount((int) completed)
                .errorCount((int) errors)
                .deliveryTimedOutCount((int) deliveryTimedOut)
                .serviceRole(request.serviceRoleArn())
                .notificationConfig(request.notificationConfig())
                .cloudWatchOutputConfig(request.cloudWatchOutputConfig())
                .timeoutSeconds(timeoutSeconds)
                .build();
    }
}
