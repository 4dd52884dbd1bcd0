package org.funtoo.amibuilder.cdk;

import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.BootstrapCommandDocument;
import org.funtoo.amibuilder.lambdas.core.BootstrapParameter;
import software.amazon.awscdk.Duration;

/**
 * The SSM Command document that runs the bootstrap on the helper (schema 2.2): lambdas
 * {@link BootstrapCommandDocument}, built from the one declaration of the bootstrap parameters
 * ({@link BootstrapParameter}). Its parameters reach the script only as environment variables
 * ({@code interpolationType: ENV_VAR} → {@code $SSM_<name>}), quoted wherever they are used, and become named
 * options of bootstrap.sh through an array in {@code bootstrap-scripts/ssm-entry.sh}: no parameter is ever part of
 * shell text or evaluated. Each parameter also has an {@code allowedPattern}, so SSM rejects a bad value before
 * anything runs; every pattern accepts {@code ""}, which means "not given" (bootstrap.sh then uses its default).
 */
final class BootstrapDocument {
    static final String LOG_FILE = BootstrapCommandDocument.LOG_FILE;
    static final String DOWNLOAD_DIR = BootstrapCommandDocument.DOWNLOAD_DIR;

    /** The parameter that sets the run step's timeout. */
    static final String EXECUTION_TIMEOUT = BootstrapParameter.EXECUTION_TIMEOUT;

    private BootstrapDocument() {
    }

    /**
     * @param scriptsUrl     S3 URL of the zipped bootstrap-scripts asset
     * @param scriptsArchive the file name aws:downloadContent stores it under
     */
    static Map<String, Object> content(String scriptsUrl, String scriptsArchive, Duration timeout) {
        return BootstrapCommandDocument.content(scriptsUrl, scriptsArchive, timeout.toSeconds().longValue());
    }

    static List<String> script(String archive) {
        return BootstrapCommandDocument.script(archive);
    }
}
