package org.funtoo.amibuilder.cdk;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/** Entry point of {@code cdk synth} / {@code cdk deploy} (see cdk.json). */
public final class AmiBuilderApp {
    private AmiBuilderApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        new AmiBuilderStack(app, "FuntooAmiBuilder", StackProps.builder()
                .description("funtoo-ami-builder: serverless AMI factory for Funtoo Linux and Gentoo")
                .build());
        app.synth();
    }
}
