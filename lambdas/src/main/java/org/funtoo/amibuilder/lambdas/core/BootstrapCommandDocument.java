package org.funtoo.amibuilder.lambdas.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of the SSM Command document that runs the bootstrap on the helper (schema 2.2), built from
 * {@link BootstrapParameter}: the stack deploys it (cdk {@code BootstrapDocument}), and the tests register the very
 * same content in the simulated SSM, so no test keeps a document of its own.
 *
 * <p>The parameters reach the script only as environment variables ({@code interpolationType: ENV_VAR} →
 * {@code $SSM_<name>}); {@code bootstrap-scripts/ssm-entry.sh} turns them into bootstrap.sh's named options. The
 * scripts travel as the stack's S3 asset: {@code aws:downloadContent} fetches the zip with the instance role (no
 * AWS CLI needed on the helper), the run step unpacks it with unzip or, failing that, python3.
 */
public final class BootstrapCommandDocument {
    public static final String LOG_FILE = "/var/log/funtoo-ami-bootstrap.log";
    public static final String DOWNLOAD_DIR = "/var/lib/funtoo-ami-builder/scripts";
    public static final String DOWNLOAD_STEP = "DownloadBootstrapScripts";
    /**
     * The step that runs bootstrap.sh. The document has two steps (download, run), and SSM answers
     * GetCommandInvocation for a multi-step document only per named step.
     */
    public static final String RUN_STEP = "RunBootstrap";

    private BootstrapCommandDocument() {
    }

    /**
     * @param scriptsUrl     S3 URL of the zipped bootstrap-scripts asset
     * @param scriptsArchive the file name aws:downloadContent stores it under
     * @param timeoutSeconds the run step's default limit (the stack's bootstrapTimeoutMinutes)
     */
    public static Map<String, Object> content(String scriptsUrl, String scriptsArchive, long timeoutSeconds) {
        Map<String, Object> parameters = BootstrapParameter.documentParameters();
        // not for the script: SSM reads it as the run step's timeoutSeconds (no shell involved)
        Map<String, Object> executionTimeout = new LinkedHashMap<>();
        executionTimeout.put("type", "String");
        executionTimeout.put("description", "seconds bootstrap.sh may run (the build's bootstrap.timeoutMinutes); "
                + "default: the stack's bootstrapTimeoutMinutes");
        executionTimeout.put("default", Long.toString(timeoutSeconds));
        executionTimeout.put("allowedPattern", BootstrapParameter.EXECUTION_TIMEOUT_PATTERN);
        parameters.put(BootstrapParameter.EXECUTION_TIMEOUT, executionTimeout);

        Map<String, Object> download = new LinkedHashMap<>();
        download.put("action", "aws:downloadContent");
        download.put("name", DOWNLOAD_STEP);
        download.put("inputs", Map.of(
                "sourceType", "S3",
                "sourceInfo", "{\"path\":\"" + scriptsUrl + "\"}",
                "destinationPath", DOWNLOAD_DIR));

        Map<String, Object> runInputs = new LinkedHashMap<>();
        runInputs.put("timeoutSeconds", "{{ " + BootstrapParameter.EXECUTION_TIMEOUT + " }}");
        runInputs.put("runCommand", script(DOWNLOAD_DIR + "/" + scriptsArchive));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("action", "aws:runShellScript");
        run.put("name", RUN_STEP);
        run.put("inputs", runInputs);

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("schemaVersion", "2.2");
        document.put("description", "funtoo-ami-builder: prepare the target volume with bootstrap.sh");
        document.put("parameters", parameters);
        document.put("mainSteps", List.of(download, run));
        return document;
    }

    /**
     * The run step, one line per element: unpack the asset, then {@code ssm-entry.sh} (in the asset) maps the
     * parameters' environment variables to bootstrap.sh's options, keeps the output in {@link #LOG_FILE} and puts
     * its tail on stderr, where CheckBootstrapCompletedHandler reads the result line or the reason of a failure; the
     * exit status is bootstrap.sh's. No parameter appears in this text.
     */
    public static List<String> script(String archive) {
        return List.of(
                "#!/bin/bash",
                "set -euo pipefail",
                "archive='" + archive + "'",
                "work=\"$(mktemp -d /var/tmp/funtoo-ami-builder.XXXXXX)\"",
                // --one-file-system: never follow a mount that a failed bootstrap left behind
                "trap 'rm -rf --one-file-system \"$work\"' EXIT",
                "mkdir \"$work/scripts\"",
                "if command -v unzip >/dev/null 2>&1; then",
                "  unzip -q \"$archive\" -d \"$work/scripts\"",
                "elif command -v python3 >/dev/null 2>&1; then",
                "  python3 -m zipfile -e \"$archive\" \"$work/scripts\"",
                "else",
                "  echo 'cannot unpack the bootstrap scripts: neither unzip nor python3 on the helper' >&2",
                "  exit 1",
                "fi",
                "bash \"$work/scripts/ssm-entry.sh\" '" + LOG_FILE + "'");
    }
}
