package org.funtoo.amibuilder.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * Entry point of {@code cdk synth} / {@code cdk deploy} (see cdk.json), run from the repository root. cdk.json
 * starts it with {@value #JSII_NODE} set to the Node that package.json pins, so the CDK's JavaScript (jsii) runs
 * there and not on whatever {@code node} comes first in PATH.
 */
public final class AmiBuilderApp {
    public static final String STACK_NAME = "FuntooAmiBuilder";
    /** The variable jsii's Java runtime takes the node executable from (else {@code node} from PATH). */
    static final String JSII_NODE = "JSII_NODE";

    private AmiBuilderApp() {
    }

    public static void main(String[] args) {
        String node = System.getenv(JSII_NODE);
        if (node != null && !Files.isExecutable(Path.of(node))) {
            System.err.println(JSII_NODE + "=" + node + " is not there: run `npm ci` in the repository root first"
                    + " (package.json pins the Node the CDK runs on)");
            System.exit(1);
        }
        App app = new App();
        try {
            stack(app, RepoLayout.locate());
        } catch (InvalidContext e) {
            e.problems().forEach(System.err::println);
            System.exit(1);
        }
        app.synth();
    }

    /** The one stack of the app; the tests build it the same way. */
    public static AmiBuilderStack stack(App app, RepoLayout layout) {
        return new AmiBuilderStack(app, STACK_NAME, StackProps.builder()
                .description("funtoo-ami-builder: serverless AMI factory for Funtoo Linux and Gentoo")
                .build(), layout);
    }
}
