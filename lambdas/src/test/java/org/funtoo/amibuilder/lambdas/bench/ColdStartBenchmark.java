package org.funtoo.amibuilder.lambdas.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.funtoo.amibuilder.lambdas.core.AwsClients;
import org.funtoo.amibuilder.lambdas.core.HandlerDependencies;
import org.funtoo.amibuilder.lambdas.input.ValidateInputHandler;
import org.funtoo.amibuilder.lambdas.network.CreateVpcHandler;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Prints the deployable jar's size and what a cold start of one handler costs with the HTTP client the handlers
 * use (URL connection) versus the SDK's default (Apache 5). Each sample is a fresh JVM that constructs
 * {@link CreateVpcHandler} and handles its first request against a loopback stub answering like EC2
 * (DescribeVpcs, CreateVpc, ModifyVpcAttribute), so the SDK client is really built and really sends. Samples of
 * the two variants alternate, so drift in the machine's load hits both alike.
 *
 * <p>Then the first state's cold start: fresh JVMs that construct {@link ValidateInputHandler} (which loads the
 * input schema into its JSON Schema validator) and validate the README's full example input. Given a second
 * argument, the path of another deployable jar (say, one built from an earlier commit), its samples alternate with
 * this jar's and the ratio of the medians is printed.
 *
 * <p>Not a test. Run from the repository root (see lambdas/README.md):
 * {@code mvn -B -q -pl lambdas -am package -DskipTests && mvn -B -q -pl lambdas exec:java
 * -Dexec.mainClass=org.funtoo.amibuilder.lambdas.bench.ColdStartBenchmark -Dexec.classpathScope=test}
 */
public final class ColdStartBenchmark {
    static final String URL_CONNECTION = "url-connection";
    static final String APACHE = "apache5 (SDK default)";
    static final String STUB_VPC_ID = "vpc-0be4c4b0000000001";

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path jar = deployableJar();
        System.out.printf("deployable jar: %s, %.1f MiB (%,d bytes)%n", jar.getFileName(),
                Files.size(jar) / 1048576.0, Files.size(jar));

        AtomicInteger requests = new AtomicInteger();
        HttpServer stub = ec2Stub(requests);
        stub.start();
        try {
            String endpoint = "http://127.0.0.1:" + stub.getAddress().getPort();
            String classpath = childClasspath(jar);
            Map<String, List<Long>> wall = new LinkedHashMap<>();
            Map<String, List<Long>> inJvm = new LinkedHashMap<>();
            for (String variant : List.of(URL_CONNECTION, APACHE)) {
                wall.put(variant, new ArrayList<>());
                inJvm.put(variant, new ArrayList<>());
                run(variant, classpath, endpoint); // warm the OS page cache; not counted
            }
            for (int i = 0; i < samples; i++) {
                for (String variant : List.of(URL_CONNECTION, APACHE)) {
                    long start = System.nanoTime();
                    long handlerMillis = run(variant, classpath, endpoint);
                    wall.get(variant).add((System.nanoTime() - start) / 1_000_000);
                    inJvm.get(variant).add(handlerMillis);
                }
            }
            System.out.printf("%d samples per variant, fresh JVM each (-XX:TieredStopAtLevel=1 like the Lambda"
                    + " Java runtime), %d stub requests answered%n", samples, requests.get());
            System.out.printf("%-24s %14s %22s   samples (process ms)%n", "HTTP client",
                    "process (med)", "construct+1st call (med)");
            for (String variant : wall.keySet()) {
                System.out.printf("%-24s %11d ms %19d ms   %s%n", variant, median(wall.get(variant)),
                        median(inJvm.get(variant)), wall.get(variant));
            }
            System.out.printf("ratio default/url-connection: process %.2fx, construct+first call %.2fx%n",
                    (double) median(wall.get(APACHE)) / median(wall.get(URL_CONNECTION)),
                    (double) median(inJvm.get(APACHE)) / median(inJvm.get(URL_CONNECTION)));
        } finally {
            stub.stop(0);
        }
        validateInput(jar, args.length > 1 ? Path.of(args[1]) : null, samples);
    }

    /** The first state's cold start with this jar, alternating with {@code baseline}'s when one is given. */
    private static void validateInput(Path jar, Path baseline, int samples) throws IOException, InterruptedException {
        Map<String, Path> jars = new LinkedHashMap<>();
        jars.put("this jar", jar);
        if (baseline != null) {
            jars.put("baseline " + baseline.getFileName() + String.format(" (%.1f MiB)",
                    Files.size(baseline) / 1048576.0), baseline);
        }
        Map<String, List<Long>> wall = new LinkedHashMap<>();
        Map<String, List<Long>> inJvm = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : jars.entrySet()) {
            wall.put(e.getKey(), new ArrayList<>());
            inJvm.put(e.getKey(), new ArrayList<>());
            runSample(ValidateInputSample.class, childClasspath(e.getValue()), null); // page cache; not counted
        }
        for (int i = 0; i < samples; i++) {
            for (Map.Entry<String, Path> e : jars.entrySet()) {
                long start = System.nanoTime();
                long handlerMillis = runSample(ValidateInputSample.class, childClasspath(e.getValue()), null);
                wall.get(e.getKey()).add((System.nanoTime() - start) / 1_000_000);
                inJvm.get(e.getKey()).add(handlerMillis);
            }
        }
        System.out.printf("ValidateInputHandler cold start, %d samples per jar, fresh JVM each%n", samples);
        System.out.printf("%-40s %14s %22s   samples (process ms)%n", "jar", "process (med)",
                "construct+validate (med)");
        for (String name : wall.keySet()) {
            System.out.printf("%-40s %11d ms %19d ms   %s%n", name, median(wall.get(name)), median(inJvm.get(name)),
                    wall.get(name));
        }
        if (baseline != null) {
            String base = wall.keySet().stream().skip(1).findFirst().orElseThrow();
            System.out.printf("ratio this jar/baseline: process %.2fx, construct+validate %.2fx, jar size %.2fx%n",
                    (double) median(wall.get("this jar")) / median(wall.get(base)),
                    (double) median(inJvm.get("this jar")) / median(inJvm.get(base)),
                    (double) Files.size(jar) / Files.size(baseline));
        }
    }

    /** One cold start in a fresh JVM; returns the in-JVM milliseconds from main() to the handled request. */
    private static long run(String variant, String classpath, String endpoint) throws IOException,
            InterruptedException {
        return runSample(variant.equals(URL_CONNECTION) ? UrlConnectionSample.class : ApacheSample.class,
                classpath, endpoint);
    }

    static long runSample(Class<?> main, String classpath, String endpoint) throws IOException,
            InterruptedException {
        String variant = main.getSimpleName();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, main.getName());
        Map<String, String> env = pb.environment();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDBENCHMARK");
        env.put("AWS_SECRET_ACCESS_KEY", "benchmark");
        if (endpoint != null) {
            env.put("AWS_ENDPOINT_URL_EC2", endpoint);
        }
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.remove("AWS_PROFILE");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        // stderr is merged so a failure shows why; SLF4J's "no binding" notice is expected noise, as on Lambda.
        String last = out.substring(out.lastIndexOf('\n') + 1);
        if (process.waitFor() != 0 || !last.startsWith("ok ")) {
            throw new IllegalStateException(variant + " sample failed: " + out);
        }
        return Long.parseLong(last.substring(3).trim());
    }

    /** A child JVM with the handlers' HTTP client: the handler built by its Lambda (no-argument) constructor. */
    public static final class UrlConnectionSample {
        public static void main(String[] args) {
            long start = System.nanoTime();
            report(start, new CreateVpcHandler());
        }
    }

    /**
     * A child JVM with the SDK's default HTTP client and otherwise the same client configuration. A class of its
     * own, so the other sample's JVM never loads or verifies anything of Apache's.
     */
    public static final class ApacheSample {
        public static void main(String[] args) {
            long start = System.nanoTime();
            report(start, new CreateVpcHandler(HandlerDependencies.lambda().toBuilder()
                    .ec2(region -> AwsClients.configure(Ec2Client.builder(), Region.of(region))
                            .httpClientBuilder(Apache5HttpClient.builder()).build())
                    .build()));
        }
    }

    /** A child JVM running the first state as Lambda would: no-argument constructor, then one full input. */
    public static final class ValidateInputSample {
        public static void main(String[] args) {
            long start = System.nanoTime();
            Map<String, Object> document = new ValidateInputHandler().handleRequest(Map.of(
                    "buildId", "bench", "startedAt", "2026-03-04T05:06:07Z", "input", Map.of(
                            "distribution", "gentoo", "architecture", "arm64",
                            "stage3", Map.of("release", "latest", "subarch", "arm64-openrc"),
                            "image", Map.of("name", "gentoo-arm64-{timestamp}", "volumeSizeGiB", 12,
                                    "tags", Map.of("team", "platform")),
                            "bootstrap", Map.of("hostname", "gentoo", "extraPackages",
                                    List.of("app-editors/vim", ">=dev-lang/perl-5.38:0")),
                            "publish", Map.of("copyToRegions", List.of("eu-west-1"), "keepLatest", 3))), null);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (!(document.get("config") instanceof Map<?, ?> config) || !"bench".equals(config.get("buildId"))) {
                System.out.println("unexpected result " + document);
                System.exit(1);
            }
            System.out.println("ok " + millis);
        }
    }

    private static void report(long start, CreateVpcHandler handler) {
        Map<String, Object> resources = handler.handleRequest(
                Map.of("config", Map.of("buildId", "bench"), "resources", Map.of()), null);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!STUB_VPC_ID.equals(resources.get("vpcId"))) {
            System.out.println("unexpected result " + resources);
            System.exit(1);
        }
        System.out.println("ok " + millis);
    }

    /**
     * What Lambda would have (the deployable jar) plus the benchmark's own classes and the Apache client, which
     * the deployable jar deliberately lacks.
     */
    static String childClasspath(Path jar) {
        List<String> entries = new ArrayList<>(List.of(jar.toString()));
        String[] own = Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader
                ? Arrays.stream(loader.getURLs()).map(u -> Path.of(URI.create(u.toString())).toString())
                        .toArray(String[]::new)
                : System.getProperty("java.class.path").split(File.pathSeparator);
        Arrays.stream(own)
                .filter(e -> e.endsWith("test-classes") || e.endsWith("test-classes/")
                        || Stream.of("apache5-client", "httpclient5", "httpcore5").anyMatch(e::contains))
                .forEach(entries::add);
        return String.join(File.pathSeparator, entries);
    }

    private static HttpServer ec2Stub(AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String action = formField(exchange, "Action");
            String ns = "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";
            String id = "<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>";
            String body = switch (action) {
                case "DescribeVpcs" -> "<DescribeVpcsResponse " + ns + ">" + id + "<vpcSet/></DescribeVpcsResponse>";
                case "CreateVpc" -> "<CreateVpcResponse " + ns + ">" + id + "<vpc><vpcId>" + STUB_VPC_ID
                        + "</vpcId><state>pending</state><cidrBlock>10.200.0.0/16</cidrBlock></vpc></CreateVpcResponse>";
                case "ModifyVpcAttribute" -> "<ModifyVpcAttributeResponse " + ns + ">" + id
                        + "<return>true</return></ModifyVpcAttributeResponse>";
                default -> null;
            };
            byte[] bytes = (body == null ? "<Response><Errors><Error><Code>InvalidAction</Code><Message>" + action
                    + "</Message></Error></Errors></Response>" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
            exchange.sendResponseHeaders(body == null ? 400 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        return server;
    }

    private static String formField(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(form.split("&")).map(kv -> kv.split("=", 2))
                    .filter(kv -> kv[0].equals(name) && kv.length == 2)
                    .map(kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8)).findFirst().orElse("");
        }
    }

    static Path deployableJar() throws IOException {
        Path here = Path.of(System.getProperty("user.dir")).resolve("target");
        Path target = Files.isDirectory(here) ? here : Path.of("lambdas", "target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-deployable.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-deployable.jar in " + target.toAbsolutePath()
                            + ": run mvn -pl lambdas -am package first"));
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
