package org.funtoo.amibuilder.lambdas.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of a successful bootstrap.sh run, declared once (its bash side is lib/phases/90-finish.sh):
 *
 * <pre>AMI-BUILD-RESULT stage3_url=&lt;url&gt; stage3_sha256=&lt;hex&gt; kernel=&lt;version&gt;
 *     [phases=&lt;name&gt;:&lt;seconds&gt;[,&lt;name&gt;:&lt;seconds&gt;...]]</pre>
 *
 * (one line). CheckBootstrapCompletedHandler parses it, the tests and the simulated SSM's default outcome write it
 * with {@link #line()}. A line without {@code phases=} (bootstrap scripts before the phase timings) is still a
 * result, with no phases.
 *
 * @param phases the phases in the order they ran: name → whole seconds
 */
public record BootstrapResult(String stage3Url, String stage3Sha256, String kernel, Map<String, Long> phases) {
    public static final String PREFIX = "AMI-BUILD-RESULT";
    private static final String PHASE = "[a-z0-9][a-z0-9-]*:[0-9]{1,9}";
    /** The phase list as it appears after {@code phases=}. */
    public static final Pattern PHASES = Pattern.compile(PHASE + "(," + PHASE + ")*");
    static final Pattern LINE = Pattern.compile("^" + PREFIX + " stage3_url=(\\S+) stage3_sha256=([0-9a-f]{64})"
            + " kernel=(\\S+)(?: phases=(" + PHASES.pattern() + "))?[ \\t]*$", Pattern.MULTILINE);

    public BootstrapResult {
        phases = phases == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    /** The line bootstrap.sh prints. */
    public String line() {
        return PREFIX + " stage3_url=" + stage3Url + " stage3_sha256=" + stage3Sha256 + " kernel=" + kernel
                + (phases.isEmpty() ? "" : " phases=" + phasesText());
    }

    /** {@code check-helper:3,find-disk:1,...}, or {@code ""} when there are none. */
    public String phasesText() {
        List<String> parts = new ArrayList<>();
        phases.forEach((name, seconds) -> parts.add(name + ":" + seconds));
        return String.join(",", parts);
    }

    /** The last result line in {@code output}, if any. */
    public static Optional<BootstrapResult> lastIn(String output) {
        Matcher m = LINE.matcher(output == null ? "" : output);
        BootstrapResult last = null;
        while (m.find()) {
            last = new BootstrapResult(m.group(1), m.group(2), m.group(3), parsePhases(m.group(4)));
        }
        return Optional.ofNullable(last);
    }

    /** {@code check-helper:3,find-disk:1} → ordered map; {@code null} or {@code ""} → empty. */
    public static Map<String, Long> parsePhases(String text) {
        Map<String, Long> phases = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return phases;
        }
        if (!PHASES.matcher(text).matches()) {
            throw new IllegalArgumentException("not a phase list: " + text);
        }
        for (String part : text.split(",")) {
            String[] nameAndSeconds = part.split(":", 2);
            phases.merge(nameAndSeconds[0], Long.parseLong(nameAndSeconds[1]), Long::sum);
        }
        return phases;
    }

    /** The phases as the execution output's timeline lists them: {@code [{phase, seconds}, ...]}. */
    public static List<Map<String, Object>> timeline(Map<String, Long> phases) {
        List<Map<String, Object>> out = new ArrayList<>();
        phases.forEach((name, seconds) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("phase", name);
            entry.put("seconds", seconds);
            out.add(entry);
        });
        return out;
    }
}
