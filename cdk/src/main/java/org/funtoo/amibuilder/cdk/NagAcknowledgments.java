package org.funtoo.amibuilder.cdk;

import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * Acknowledges a cdk-nag finding on a construct and its children. cdk-nag 3 names granular findings after the
 * offending value, e.g. {@code AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:...]}, but
 * {@link Validations#acknowledge} rejects an id with more than one {@code ::}. Such ids are recorded the way
 * {@code acknowledge} records them, as an entry under {@link Validations#ACKNOWLEDGED_RULES_METADATA_KEY}, which is
 * where cdk-nag looks them up.
 */
final class NagAcknowledgments {
    private NagAcknowledgments() {
    }

    static void acknowledge(IConstruct construct, String findingId, String reason) {
        if (findingId.split("::", -1).length <= 2) {
            Validations.of(construct).acknowledge(Acknowledgment.builder().id(findingId).reason(reason).build());
        } else {
            construct.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, Map.of(findingId, reason));
        }
    }
}
