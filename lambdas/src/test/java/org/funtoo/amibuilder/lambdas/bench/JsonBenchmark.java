package org.funtoo.amibuilder.lambdas.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.funtoo.amibuilder.lambdas.core.Json;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Prints the deployable jar's size and what the first JSON parse and write of a realistic state document costs in
 * a fresh JVM: {@code bench/state-document.json}, a document as the failure notification receives it (config,
 * resources, poll and a caught error whose cause is the Java runtime's JSON), parsed, its cause parsed, and written
 * again. The handlers' JSON ({@link Json}, jackson-jr) alternates with the AWS SDK's internal JSON library
 * ({@code software.amazon.awssdk.protocols.jsoncore}, what the handlers used before; it is still in the jar, as the
 * SDK's JSON protocols need it), so drift in the machine's load hits both alike.
 *
 * <p>Not a test. Run from the repository root:
 * {@code mvn -B -q -pl lambdas -am package -DskipTests && mvn -B -q -pl lambdas exec:java
 * -Dexec.mainClass=org.funtoo.amibuilder.lambdas.bench.JsonBenchmark -Dexec.classpathScope=test -Dexec.args=9}
 */
public final class JsonBenchmark {
    static final String DOCUMENT = "/bench/state-document.json";

    private JsonBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path jar = ColdStartBenchmark.deployableJar();
        System.out.printf("deployable jar: %s, %.1f MiB (%,d bytes)%n", jar.getFileName(),
                Files.size(jar) / 1048576.0, Files.size(jar));
        String classpath = ColdStartBenchmark.childClasspath(jar);
        Map<String, Class<?>> variants = new LinkedHashMap<>();
        variants.put("jackson-jr (Json)", JacksonJrSample.class);
        variants.put("SDK jsoncore (before)", SdkJsonSample.class);
        Map<String, List<Long>> wall = new LinkedHashMap<>();
        Map<String, List<Long>> inJvm = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> v : variants.entrySet()) {
            wall.put(v.getKey(), new ArrayList<>());
            inJvm.put(v.getKey(), new ArrayList<>());
            ColdStartBenchmark.runSample(v.getValue(), classpath, null); // page cache; not counted
        }
        for (int i = 0; i < samples; i++) {
            for (Map.Entry<String, Class<?>> v : variants.entrySet()) {
                long start = System.nanoTime();
                long micros = ColdStartBenchmark.runSample(v.getValue(), classpath, null);
                wall.get(v.getKey()).add((System.nanoTime() - start) / 1_000_000);
                inJvm.get(v.getKey()).add(micros);
            }
        }
        System.out.printf("first parse + write of %s, %d samples per library, fresh JVM each"
                + " (-XX:TieredStopAtLevel=1 like the Lambda Java runtime)%n", DOCUMENT, samples);
        System.out.printf("%-24s %14s %22s   samples (parse+write µs)%n", "library", "process (med)",
                "parse+write (med)");
        for (String name : wall.keySet()) {
            System.out.printf("%-24s %11d ms %19d µs   %s%n", name, ColdStartBenchmark.median(wall.get(name)),
                    ColdStartBenchmark.median(inJvm.get(name)), inJvm.get(name));
        }
    }

    static String document() {
        try (InputStream in = JsonBenchmark.class.getResourceAsStream(DOCUMENT)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(long start, String written) {
        long micros = (System.nanoTime() - start) / 1_000;
        if (!written.contains("funtoo-next-x86-64-20260304-0506") || !written.contains("\"keepResources\":false")) {
            System.out.println("unexpected result " + written);
            System.exit(1);
        }
        System.out.println("ok " + micros);
    }

    /** A child JVM using the handlers' JSON: the document and its error's cause read, the document written. */
    public static final class JacksonJrSample {
        public static void main(String[] args) {
            String text = document();
            long start = System.nanoTime();
            Map<String, Object> doc = Json.parseObject(text).orElseThrow();
            Object cause = Json.object(doc.get("error")).get("Cause");
            Json.parseObject((String) cause).orElseThrow();
            report(start, Json.write(doc));
        }
    }

    /** A child JVM using the SDK's internal JSON the same way (a class of its own: nothing of jackson-jr loads). */
    public static final class SdkJsonSample {
        public static void main(String[] args) {
            String text = document();
            long start = System.nanoTime();
            JsonNode doc = JsonNode.parser().parse(text);
            JsonNode.parser().parse(doc.field("error").orElseThrow().field("Cause").orElseThrow().asString());
            JsonWriter writer = JsonWriter.create();
            write(writer, doc);
            report(start, new String(writer.getBytes(), StandardCharsets.UTF_8));
        }

        private static void write(JsonWriter writer, JsonNode node) {
            if (node.isObject()) {
                writer.writeStartObject();
                node.asObject().forEach((k, v) -> {
                    writer.writeFieldName(k);
                    write(writer, v);
                });
                writer.writeEndObject();
            } else if (node.isArray()) {
                writer.writeStartArray();
                node.asArray().forEach(v -> write(writer, v));
                writer.writeEndArray();
            } else if (node.isString()) {
                writer.writeValue(node.asString());
            } else if (node.isNumber()) {
                writer.writeNumber(node.asNumber());
            } else if (node.isBoolean()) {
                writer.writeValue(node.asBoolean());
            } else {
                writer.writeNull();
            }
        }
    }
}
