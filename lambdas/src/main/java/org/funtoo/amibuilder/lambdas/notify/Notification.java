package org.funtoo.amibuilder.lambdas.notify;

import java.util.List;
import java.util.Map;

/**
 * One build result, told twice: as an EventBridge event for machines ({@code detailType}, {@code detail}, the ARNs
 * of what it is about) and as an SNS message for people ({@code subject}, {@code text}).
 */
record Notification(String detailType, Map<String, Object> detail, List<String> resources, String subject,
                    String text) {
    /** SNS: at most 100 printable ASCII characters, no line breaks. */
    static final int MAX_SUBJECT = 100;

    Notification {
        subject = subject.replaceAll("[^\\x20-\\x7e]", "?");
        subject = subject.length() <= MAX_SUBJECT ? subject : subject.substring(0, MAX_SUBJECT - 3) + "...";
    }

    /** {@code 1 h 02 min 05 s}: the duration as a person reads it. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? String.format("%d h %02d min %02d s", h, m, s)
                : m > 0 ? String.format("%d min %02d s", m, s) : s + " s";
    }
}
