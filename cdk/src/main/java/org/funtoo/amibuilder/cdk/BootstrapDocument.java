package org.funtoo.amibuilder.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BootstrapParameter;
import software.amazon.awscdk.Duration;

/**
 * The SSM Command document that runs the bootstrap on the helper (schema 2.2). Its parameters reach the script
 * only as environment variables ({@code interpolationType: ENV_VAR} → {@code $SSM_<name>}), are quoted wherever
 * they are used and become named options of bootstrap.sh through an array: no parameter is ever part of shell
 * text or evaluated. Each parameter also has an {@code allowedPattern}, so SSM rejects a bad value before anything
 * runs; every pattern accepts {@code ""}, which means "not given" (bootstrap.sh then uses its default). The
 * parameters, their patterns and the options they become are declared once, in lambdas {@code BootstrapParameter}.
 *
 * <p>The scripts travel as the stack's S3 asset: {@code aws:downloadContent} fetches the zip with the instance
 * role (no AWS CLI needed on the helper), the script unpacks it with unzip or, failing that, python3.
 */
final class BootstrapDocument {
    static final String LOG_FILE = "/var/log/funtoo-ami-bootstrap.log";
    static final String DOWNLOAD_DIR = "/var/lib/funtoo-ami-builder/scripts";

    /** The parameter that sets the run step's timeout. */
    static final String EXECUTION_TIMEOUT = BootstrapParameter.EXECUTION_TIMEOUT;

    private BootstrapDocument() {
    }

    /**
     * @param scriptsUrl     S3 URL of the zipped bootstrap-scripts asset
     * @param scriptsArchive the file name aws:downloadContent stores it under
     */
    static Map<String, Object> content(String scriptsUrl, String scriptsArchive, Duration timeout) {
        Map<String, Object> parameters = BootstrapParameter.documentParameters();
        // not for the script: SSM reads it as the run step's timeoutSeconds (no shell involved)
        Map<String, Object> executionTimeout = new LinkedHashMap<>();
        executionTimeout.put("type", "String");
        executionTimeout.put("description", "seconds bootstrap.sh may run (the build's bootstrap.timeoutMinutes); "
                + "default: the stack's bootstrapTimeoutMinutes");
        executionTimeout.put("default", Long.toString(timeout.toSeconds().longValue()));
        executionTimeout.put("allowedPattern", BootstrapParameter.EXECUTION_TIMEOUT_PATTERN);
        parameters.put(EXECUTION_TIMEOUT, executionTimeout);

        Map<String, Object> download = new LinkedHashMap<>();
        download.put("action", "aws:downloadContent");
        download.put("name", "DownloadBootstrapScripts");
        download.put("inputs", Map.of(
                "sourceType", "S3",
                "sourceInfo", "{\"path\":\"" + scriptsUrl + "\"}",
                "destinationPath", DOWNLOAD_DIR));

        Map<String, Object> runInputs = new LinkedHashMap<>();
        runInputs.put("timeoutSeconds", "{{ " + EXECUTION_TIMEOUT + " }}");
        runInputs.put("runCommand", script(DOWNLOAD_DIR + "/" + scriptsArchive));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("action", "aws:runShellScript");
        run.put("name", "RunBootstrap");
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
     * its tail on stderr, where GetBootstrapCommandHandler reads the result line or the reason of a failure; the
     * exit status is bootstrap.sh's. No parameter appears in this text.
     */
    static List<String> script(String archive) {
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
