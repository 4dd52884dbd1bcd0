package org.funtoo.amibuilder.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Holds every request to the simulated AWS to the constraints of AWS's published service models, as generated into
 * {@code api-constraints.json} by {@link ApiConstraintsGenerator}: a request that breaks one is refused before the
 * simulation looks at it, with the code the service answers: EC2 {@code MissingParameter} for a missing required
 * member and {@code InvalidParameterValue} for the rest, SNS {@code InvalidParameter}, SSM, Step Functions and
 * EventBridge {@code ValidationException} with their "N validation errors detected" message.
 */
public final class ApiConstraints {
    /** A refused request: the service's error code and message. */
    public record Violation(String code, String message) {
    }

    static final String TABLE = "/api-constraints.json";
    /**
     * EC2 answers some broken constraints with a code of their own rather than the generic InvalidParameterValue
     * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html): an AMI name outside 3–128
     * characters is {@code InvalidAMIName.Malformed}, an instance type DescribeInstanceTypes does not know is
     * {@code InvalidInstanceType}. Keyed by operation and shape ({@code *}: any operation).
     */
    private static final Map<String, String> EC2_CODES = Map.of(
            "*/ImageNameRequest", "InvalidAMIName.Malformed",
            "DescribeInstanceTypes/InstanceType", "InvalidInstanceType");
    private static final ApiConstraints INSTANCE = load();

    private final JsonNode services;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    private ApiConstraints(JsonNode table) {
        this.services = table.path("services");
    }

    public static ApiConstraints get() {
        return INSTANCE;
    }

    private static ApiConstraints load() {
        try (InputStream in = ApiConstraints.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " is missing from the test resources");
            }
            return new ApiConstraints(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the table has an entry for this operation (every operation the simulation serves must). */
    public boolean covers(String service, String operation) {
        return services.path(service).path("operations").has(operation);
    }

    /** Empty when the request keeps every published constraint of its operation. */
    public Optional<Violation> check(String service, String operation, Object request) {
        JsonNode svc = services.path(service);
        if (svc.isMissingNode()) {
            return Optional.empty();
        }
        JsonNode input = svc.path("operations").get(operation);
        if (input == null) {
            throw new IllegalStateException("api-constraints.json has no " + service + ":" + operation
                    + "; regenerate it (ApiConstraintsGenerator)");
        }
        if (input.asText().isEmpty() || !(request instanceof SdkPojo pojo)) {
            return Optional.empty();
        }
        List<Problem> problems = new ArrayList<>();
        check(svc.path("shapes"), input.asText(), pojo, "", problems);
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(violation(service, operation, problems));
    }

    private record Problem(boolean missing, String path, Object value, String constraint, String shape) {
    }

    private void check(JsonNode shapes, String shapeName, Object value, String path, List<Problem> problems) {
        JsonNode shape = shapes.path(shapeName);
        if (shape.isMissingNode() || value == null) {
            return;
        }
        switch (shape.path("type").asText()) {
            case "structure" -> structure(shapes, shape, (SdkPojo) value, path, problems);
            case "list" -> {
                List<?> list = (List<?>) value;
                size(shape, shapeName, list.size(), path, list, problems);
                String member = shape.path("member").asText();
                for (int i = 0; i < list.size(); i++) {
                    check(shapes, member, list.get(i), path + "." + (i + 1) + ".member", problems);
                }
            }
            case "map" -> {
                Map<?, ?> map = (Map<?, ?>) value;
                size(shape, shapeName, map.size(), path, map, problems);
                for (var e : map.entrySet()) {
                    check(shapes, shape.path("key").asText(), e.getKey(), path + ".key", problems);
                    check(shapes, shape.path("value").asText(), e.getValue(), path + "." + e.getKey(), problems);
                }
            }
            case "string" -> string(shape, shapeName, value.toString(), path, problems);
            case "integer", "long", "double", "float" -> range(shape, shapeName, ((Number) value).doubleValue(), path,
                    value, problems);
            default -> {
            }
        }
    }

    private void structure(JsonNode shapes, JsonNode shape, SdkPojo pojo, String path, List<Problem> problems) {
        for (String required : strings(shape.path("required"))) {
            Object v = field(pojo, required);
            if (v == null) {
                problems.add(new Problem(true, join(path, required), null, "Member must not be null", ""));
            }
        }
        for (var m : iterable(shape.path("members").fields())) {
            if (!m.getValue().asText().isEmpty()) {
                check(shapes, m.getValue().asText(), field(pojo, m.getKey()), join(path, m.getKey()), problems);
            }
        }
    }

    private static Object field(SdkPojo pojo, String memberName) {
        for (SdkField<?> f : pojo.sdkFields()) {
            if (f.memberName().equals(memberName)) {
                Object v = f.getValueOrDefault(pojo);
                // the SDK's "not set" collections are empty auto-construct lists / maps
                if (v instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>
                        || v instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>) {
                    return null;
                }
                return v;
            }
        }
        throw new IllegalStateException(pojo.getClass().getSimpleName() + " has no member " + memberName
                + ": the SDK and the models disagree");
    }

    private void string(JsonNode shape, String shapeName, String s, String path, List<Problem> problems) {
        int length = s.codePointCount(0, s.length());
        if (shape.has("min") && length < shape.get("min").asLong()) {
            problems.add(new Problem(false, path, s, "Member must have length greater than or equal to "
                    + shape.get("min").asLong(), shapeName));
        }
        if (shape.has("max") && length > shape.get("max").asLong()) {
            problems.add(new Problem(false, path, s, "Member must have length less than or equal to "
                    + shape.get("max").asLong(), shapeName));
        }
        if (shape.has("pattern")) {
            String regex = shape.get("pattern").asText();
            Pattern p = patterns.computeIfAbsent(regex, r -> Pattern.compile(r, Pattern.DOTALL));
            if (!p.matcher(s).matches()) {
                problems.add(new Problem(false, path, s, "Member must satisfy regular expression pattern: "
                        + regex, shapeName));
            }
        }
        if (shape.has("enum")) {
            List<String> values = strings(shape.get("enum"));
            if (!values.contains(s)) {
                problems.add(new Problem(false, path, s, "Member must satisfy enum value set: " + values, shapeName));
            }
        }
    }

    private static void size(JsonNode shape, String shapeName, int size, String path, Object value,
                             List<Problem> problems) {
        if (shape.has("min") && size < shape.get("min").asLong()) {
            problems.add(new Problem(false, path, value, "Member must have length greater than or equal to "
                    + shape.get("min").asLong(), shapeName));
        }
        if (shape.has("max") && size > shape.get("max").asLong()) {
            problems.add(new Problem(false, path, value, "Member must have length less than or equal to "
                    + shape.get("max").asLong(), shapeName));
        }
    }

    private static void range(JsonNode shape, String shapeName, double v, String path, Object value,
                              List<Problem> problems) {
        if (shape.has("min") && v < shape.get("min").asDouble()) {
            problems.add(new Problem(false, path, value, "Member must have value greater than or equal to "
                    + shape.get("min").asText(), shapeName));
        }
        if (shape.has("max") && v > shape.get("max").asDouble()) {
            problems.add(new Problem(false, path, value, "Member must have value less than or equal to "
                    + shape.get("max").asText(), shapeName));
        }
    }

    private static Violation violation(String service, String operation, List<Problem> problems) {
        Problem first = problems.get(0);
        switch (service) {
            case "ec2" -> {
                String own = EC2_CODES.getOrDefault(operation + "/" + first.shape(),
                        EC2_CODES.get("*/" + first.shape()));
                if (own != null) {
                    return new Violation(own, "Value (" + first.value() + ") for parameter " + first.path()
                            + " is invalid. " + first.constraint());
                }
                if (first.missing()) {
                    return new Violation("MissingParameter", "The request must contain the parameter " + first.path());
                }
                return new Violation("InvalidParameterValue", "Value (" + first.value() + ") for parameter "
                        + first.path() + " is invalid. " + first.constraint());
            }
            case "sns" -> {
                return new Violation("InvalidParameter", "Invalid parameter: " + first.path() + " Reason: "
                        + first.constraint());
            }
            default -> {
                StringBuilder m = new StringBuilder().append(problems.size())
                        .append(problems.size() == 1 ? " validation error detected: " : " validation errors detected: ");
                for (int i = 0; i < problems.size(); i++) {
                    Problem p = problems.get(i);
                    m.append(i == 0 ? "" : "; ").append("Value ")
                            .append(p.missing() ? "null" : "'" + p.value() + "'").append(" at '")
                            .append(camel(p.path())).append("' failed to satisfy constraint: ").append(p.constraint());
                }
                return new Violation("ValidationException", m.toString());
            }
        }
    }

    /** AWS's JSON services name members lower camel case in their messages ({@code 'name'}, {@code 'tags.1.member.key'}). */
    private static String camel(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("\\.")) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(part.isEmpty() ? part : part.substring(0, 1).toLowerCase(Locale.ROOT) + part.substring(1));
        }
        return out.toString();
    }

    private static String join(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
