package org.funtoo.amibuilder.cdk;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/** Entry point of {@code cdk synth} / {@code cdk deploy} (see cdk.json), run from the repository root. */
public final class AmiBuilderApp {
    public static final String STACK_NAME = "FuntooAmiBuilder";

    private AmiBuilderApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        stack(app, RepoLayout.locate());
        app.synth();
    }

    /** The one stack of the app; the tests build it the same way. */
    public static AmiBuilderStack stack(App app, RepoLayout layout) {
        return new AmiBuilderStack(app, STACK_NAME, StackProps.builder()
                .description("funtoo-ami-builder: serverless AMI factory for Funtoo Linux and Gentoo")
                .build(), layout);
    }
}
