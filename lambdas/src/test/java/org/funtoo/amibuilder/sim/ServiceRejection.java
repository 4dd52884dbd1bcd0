package org.funtoo.amibuilder.sim;

/**
 * An AWS error raised deep inside a simulated SSM / Step Functions model class. The client method that received
 * the request turns it into the service's exception through {@link SimAws#fail}, so the call log records the code.
 */
final class ServiceRejection extends RuntimeException {
    private final String code;

    ServiceRejection(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
