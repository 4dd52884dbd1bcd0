package org.funtoo.amibuilder.lambdas.network;

import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.ErrorName;
import org.funtoo.amibuilder.lambdas.core.Handler;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;
import org.funtoo.amibuilder.lambdas.teardown.Cleanup;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Cleanup: the helper's security group. A caller-given group is never in {@code resources} and never carries the
 * managed tag, so it is never touched. DependencyViolation (an interface still attached) is left to the state
 * machine's retry.
 */
public final class DeleteSecurityGroupHandler extends Handler {
    private final Ec2Client ec2;

    public DeleteSecurityGroupHandler() {
        this(HandlerDependencies.lambda());
    }

    public DeleteSecurityGroupHandler(HandlerDependencies deps) {
        this.ec2 = deps.ec2();
    }

    @Override
    protected ErrorName failure() {
        return ErrorName.CleanupFailed;
    }

    @Override
    protected Map<String, Object> handle(StateDocument doc) {
        Resources resources = doc.resources();
        Cleanup.targets(f -> ec2.describeSecurityGroups(r -> r.filters(f)).securityGroups(), SecurityGroup::groupId,
                        SecurityGroup::tags, "group-id", resources.get(Resources.SECURITY_GROUP_ID).stream().toList(),
                        doc.config().buildId())
                .forEach(group -> Cleanup.deleteIgnoringGone(() ->
                        ec2.deleteSecurityGroup(r -> r.groupId(group.groupId()))));
        return resources.without(Resources.SECURITY_GROUP_ID).toMap();
    }
}
