package org.funtoo.amibuilder.cdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the stack finds what it deploys from the repository: the Lambda jar and the bootstrap scripts.
 * {@code cdk synth} runs the app from the repository root (cdk.json); the tests run with the module directory as
 * working directory and pass the root as the system property {@value #ROOT_PROPERTY}.
 */
public record RepoLayout(Path root) {
    public static final String ROOT_PROPERTY = "amibuilder.repoRoot";

    public RepoLayout {
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("cdk.json"))) {
            throw new IllegalStateException(root + " is not the repository root (no cdk.json): run cdk from the "
                    + "repository root or set -D" + ROOT_PROPERTY);
        }
    }

    public static RepoLayout locate() {
        String root = System.getProperty(ROOT_PROPERTY);
        return new RepoLayout(Path.of(root != null && !root.isBlank() ? root : "."));
    }

    /** The one deployable jar with every handler, built by {@code mvn package} in the lambdas module. */
    public Path lambdaJar() {
        Path jar = root.resolve(buildProperty("lambdas.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with `mvn -B -DskipTests package`");
        }
        return jar;
    }

    /** The directory shipped to the helper instance as the scripts asset. */
    public Path bootstrapScripts() {
        Path scripts = root.resolve("bootstrap-scripts");
        if (!Files.isDirectory(scripts)) {
            throw new IllegalStateException(scripts + " is missing");
        }
        return scripts;
    }

    private static String buildProperty(String name) {
        try (InputStream in = RepoLayout.class.getResourceAsStream("/amibuilder-build.properties")) {
            if (in == null) {
                throw new IllegalStateException("amibuilder-build.properties is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
