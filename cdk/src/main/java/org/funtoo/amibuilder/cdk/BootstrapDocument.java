package org.funtoo.amibuilder.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;

/**
 * The SSM Command document that runs the bootstrap on the helper (schema 2.2). Its parameters reach the script
 * only as environment variables ({@code interpolationType: ENV_VAR} → {@code $SSM_<name>}), are quoted wherever
 * they are used and become named options of bootstrap.sh through an array: no parameter is ever part of shell
 * text or evaluated. Each parameter also has an {@code allowedPattern}, so SSM rejects a bad value before anything
 * runs; every pattern accepts {@code ""}, which means "not given" (bootstrap.sh then uses its default).
 *
 * <p>The scripts travel as the stack's S3 asset: {@code aws:downloadContent} fetches the zip with the instance
 * role (no AWS CLI needed on the helper), the script unpacks it with unzip or, failing that, python3.
 */
final class BootstrapDocument {
    static final String LOG_FILE = "/var/log/funtoo-ami-bootstrap.log";
    static final String DOWNLOAD_DIR = "/var/lib/funtoo-ami-builder/scripts";

    /** A host name label: letters, digits, inner hyphens. */
    private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** https only; no spaces, quotes or shell metacharacters. */
    private static final String HTTPS_URL = "https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%+=,@-]*)*";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    /** One package atom, e.g. {@code >=app-editors/vim-9.1:0}; the characters of Gentoo atoms, no shell syntax. */
    private static final String ATOM = "[A-Za-z0-9<>=~][A-Za-z0-9_+.:/<>=~*@-]*";

    /** The parameter that sets the run step's timeout. */
    static final String EXECUTION_TIMEOUT = "executionTimeout";

    /** Parameter → (allowed pattern, the bootstrap.sh option it becomes, description). */
    record Parameter(String name, String pattern, String option, String description) {
    }

    static final List<Parameter> PARAMETERS = List.of(
            new Parameter("volumeId", optional("vol-[0-9a-f]{8,17}"), "--volume-id",
                    "EBS volume id of the target disk (found by its NVMe serial)"),
            new Parameter("distribution", optional("funtoo|gentoo"), "--distribution", "funtoo or gentoo"),
            new Parameter("architecture", optional("x86_64|arm64"), "--arch", "x86_64 or arm64"),
            new Parameter("stage3Url", optional(HTTPS_URL), "--stage3-url", "the stage3 tarball, https only"),
            new Parameter("stage3BaseUrl", optional(HTTPS_URL), "--stage3-base-url",
                    "mirror base the stage3 is looked up under, https only"),
            new Parameter("stage3Release", optional(NAME), "--release", "release name, e.g. next"),
            new Parameter("stage3Subarch", optional(NAME), "--subarch", "subarchitecture, e.g. intel64-haswell"),
            new Parameter("stage3Sha256", optional("[0-9a-fA-F]{64}"), "--stage3-sha256",
                    "expected sha256 of the stage3"),
            new Parameter("verifySignature", optional("true|false"), "--verify-signature",
                    "check the stage3's GPG signature (default true)"),
            new Parameter("hostname", optional(LABEL + "(\\." + LABEL + ")*"), "--hostname",
                    "host name of the image"),
            new Parameter("bootMode", optional("legacy-bios|uefi|uefi-preferred"), "--boot-mode",
                    "EC2 boot mode of the image"),
            new Parameter("extraPackages", optional(ATOM + "( " + ATOM + ")*"), "--extra-packages",
                    "package atoms to install, separated by single spaces"),
            new Parameter("buildId", optional("[A-Za-z0-9_-]{1,80}"), null,
                    "the build (execution name); identifies the command, not passed to bootstrap.sh"));

    private BootstrapDocument() {
    }

    /**
     * @param scriptsUrl     S3 URL of the zipped bootstrap-scripts asset
     * @param scriptsArchive the file name aws:downloadContent stores it under
     */
    static Map<String, Object> content(String scriptsUrl, String scriptsArchive, Duration timeout) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (Parameter parameter : PARAMETERS) {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("type", "String");
            definition.put("description", parameter.description());
            definition.put("default", "");
            definition.put("allowedPattern", parameter.pattern());
            definition.put("interpolationType", "ENV_VAR");
            parameters.put(parameter.name(), definition);
        }
        // not for the script: SSM reads it as the run step's timeoutSeconds (no shell involved)
        Map<String, Object> executionTimeout = new LinkedHashMap<>();
        executionTimeout.put("type", "String");
        executionTimeout.put("description", "seconds bootstrap.sh may run (the build's bootstrap.timeoutMinutes); "
                + "default: the stack's bootstrapTimeoutMinutes");
        executionTimeout.put("default", Long.toString(timeout.toSeconds().longValue()));
        executionTimeout.put("allowedPattern", "^[1-9][0-9]{2,4}$");
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
     * The shell script, one line per element. bootstrap.sh's output goes to the log file (and so to the command's
     * CloudWatch output); the last 40 lines go to stderr, where GetBootstrapCommandHandler reads the result line
     * or the reason of a failure; the exit status is bootstrap.sh's.
     */
    static List<String> script(String archive) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "#!/bin/bash",
                "set -euo pipefail",
                "archive='" + archive + "'",
                "log='" + LOG_FILE + "'",
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
                "args=()",
                "option() { if [ -n \"$2\" ]; then args+=(\"$1\" \"$2\"); fi; }"));
        for (Parameter parameter : PARAMETERS) {
            if (parameter.option() == null) {
                continue;
            }
            String value = "\"${SSM_" + parameter.name() + ":-}\"";
            if (parameter.name().equals("verifySignature")) {
                lines.add("case " + value + " in true) args+=(--verify-signature yes) ;; "
                        + "false) args+=(--verify-signature no) ;; esac");
            } else {
                lines.add("option " + parameter.option() + " " + value);
            }
        }
        lines.addAll(List.of(
                // no --workdir: bootstrap.sh's fixed default, so that a rerun after a killed run finds its lock
                // and the mounts that run left behind
                "set +e",
                "bash \"$work/scripts/bootstrap.sh\" \"${args[@]}\" 2>&1 | tee \"$log\"",
                "status=${PIPESTATUS[0]}",
                "set -e",
                "tail -n 40 \"$log\" >&2",
                "exit \"$status\""));
        return lines;
    }

    private static String optional(String pattern) {
        return "^(" + pattern + ")?$";
    }
}
