package org.funtoo.amibuilder.cdk;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/** The AMI factory. Minimal for now: the real stack arrives with the workflow issue. */
public class AmiBuilderStack extends Stack {
    public AmiBuilderStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        StringParameter.Builder.create(this, "Version")
                .parameterName("/funtoo-ami-builder/version")
                .stringValue("0.1.0")
                .build();
    }
}
