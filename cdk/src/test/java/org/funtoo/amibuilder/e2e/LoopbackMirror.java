package org.funtoo.amibuilder.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The stage3 servers on loopback, laid out exactly like the real ones below their default base URLs, served over
 * https under their real host names (curl is pointed at 127.0.0.1 by a {@code .curlrc} with {@code connect-to} and
 * trusts the mirror's certificate, made at test time):
 *
 * <ul>
 *   <li>{@code https://build.funtoo.org/<release>/<x86-64bit|arm-64bit>/<subarch>/stage3-latest.tar.xz} with
 *       {@code .hash.txt} ({@code sha256 <hex>}) and {@code .gpg} (detached, binary);</li>
 *   <li>{@code https://distfiles.gentoo.org/releases/<amd64|arm64>/autobuilds/latest-stage3-<subarch>.txt}
 *       (clearsigned pointer), {@code <ts>/stage3-<subarch>-<ts>.tar.xz} with a clearsigned {@code .sha256} and an
 *       armoured {@code .asc};</li>
 *   <li>the release key the pinned-keys file names, on {@code https://keys.funtoo-ami-builder.test/}.</li>
 * </ul>
 *
 * Stage3 stand-ins are tiny tar.xz files, one per path (so a digest tells which was fetched), signed by a key made
 * at test time. Built once per JVM and shared, like the synthesized template.
 */
final class LoopbackMirror {
    static final String FUNTOO_HOST = "build.funtoo.org";
    static final String GENTOO_HOST = "distfiles.gentoo.org";
    static final String KEYS_HOST = "keys.funtoo-ami-builder.test";
    /** What the Gentoo "latest" pointers name. */
    static final String GENTOO_LATEST = "20260301T170000Z";
    static final String GENTOO_OLDER = "20260215T170000Z";

    private static LoopbackMirror shared;

    final Path dir;
    final Path curlHome;
    final Path pinnedKeys;
    final String fingerprint;
    private final Path www;
    private final Path gnupg;
    private final HttpsServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    static synchronized LoopbackMirror get() {
        if (shared == null) {
            try {
                shared = new LoopbackMirror();
            } catch (IOException | InterruptedException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException("could not build the loopback mirror", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    private LoopbackMirror() throws IOException, InterruptedException, java.security.GeneralSecurityException {
        dir = Files.createTempDirectory("loopback-mirror");
        www = dir.resolve("www");
        gnupg = dir.resolve("gnupg");
        Files.createDirectories(gnupg);
        Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        run(dir, "gpg", "--homedir", gnupg.toString(), "--batch", "--quiet", "--passphrase", "",
                "--quick-gen-key", "funtoo-ami-builder loopback mirror <mirror@funtoo-ami-builder.test>", "ed25519",
                "sign", "2d");
        fingerprint = run(dir, "gpg", "--homedir", gnupg.toString(), "--batch", "--with-colons", "--list-keys")
                .lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        Path keys = www.resolve(KEYS_HOST);
        Files.createDirectories(keys);
        run(dir, "gpg", "--homedir", gnupg.toString(), "--batch", "--armor", "--output",
                keys.resolve("release.asc").toString(), "--export", fingerprint);
        pinnedKeys = dir.resolve("pinned-keys.txt");
        String keyUrl = "https://" + KEYS_HOST + "/release.asc";
        Files.writeString(pinnedKeys, "funtoo " + fingerprint + " " + keyUrl + "\ngentoo " + fingerprint + " " + keyUrl
                + "\n");

        for (String arch : List.of("x86-64bit", "arm-64bit")) {
            String subarch = arch.equals("x86-64bit") ? "generic_64" : "arm64_generic";
            publishFuntoo("next/" + arch + "/" + subarch + "/stage3-latest.tar.xz");
        }
        publishFuntoo("1.4-release-std/x86-64bit/intel64-haswell/stage3-latest.tar.xz");
        publishFuntoo("next/x86-64bit/generic_64/2026-03-01/stage3-generic_64-next-2026-03-01.tar.xz");
        for (String arch : List.of("amd64", "arm64")) {
            String latest = gentooStage3(arch, arch + "-openrc", GENTOO_LATEST);
            publishGentoo(latest);
            publishGentoo(gentooStage3(arch, arch + "-openrc", GENTOO_OLDER));
            pointer(arch, arch + "-openrc", latest);
        }
        publishGentoo(gentooStage3("amd64", "amd64-systemd", GENTOO_OLDER));
        publishGentoo(gentooStage3("arm64", "arm64-openrc+splitusr", GENTOO_OLDER));

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls()));
        server.createContext("/", this::serve);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        int port = server.getAddress().getPort();
        curlHome = dir.resolve("curl-home");
        Files.createDirectories(curlHome);
        StringBuilder curlrc = new StringBuilder();
        for (String host : List.of(FUNTOO_HOST, GENTOO_HOST, KEYS_HOST)) {
            curlrc.append("connect-to = ").append(host).append(":443:127.0.0.1:").append(port).append('\n');
        }
        curlrc.append("cacert = ").append(dir.resolve("mirror.pem")).append('\n');
        curlrc.append("noproxy = *\n");
        Files.writeString(curlHome.resolve(".curlrc"), curlrc);
    }

    /** The path of a Gentoo stage3 below distfiles.gentoo.org. */
    static String gentooStage3(String arch, String subarch, String timestamp) {
        return "releases/" + arch + "/autobuilds/" + timestamp + "/stage3-" + subarch + "-" + timestamp + ".tar.xz";
    }

    /** The sha256 of the stand-in at {@code https://host/path}. */
    String sha256(String host, String path) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(www.resolve(host).resolve(path))));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Requests served so far, as {@code <status> https://host/path}. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void publishFuntoo(String path) throws IOException, InterruptedException {
        Path tarball = standIn(FUNTOO_HOST, path);
        Files.writeString(Path.of(tarball + ".hash.txt"), "sha256 " + sha256(FUNTOO_HOST, path) + "\n");
        gpg("--detach-sign", "--output", tarball + ".gpg", tarball.toString());
    }

    private void publishGentoo(String path) throws IOException, InterruptedException {
        Path tarball = standIn(GENTOO_HOST, path);
        Path listing = dir.resolve("listing.txt");
        Files.writeString(listing, "# SHA256 HASH\n" + sha256(GENTOO_HOST, path) + "  " + tarball.getFileName() + "\n");
        gpg("--clearsign", "--output", tarball + ".sha256", listing.toString());
        gpg("--armor", "--detach-sign", "--output", tarball + ".asc", tarball.toString());
    }

    private void pointer(String arch, String subarch, String stage3Path) throws IOException, InterruptedException {
        Path autobuilds = www.resolve(GENTOO_HOST).resolve("releases/" + arch + "/autobuilds");
        String relative = stage3Path.substring(("releases/" + arch + "/autobuilds/").length());
        Path text = dir.resolve("pointer.txt");
        Files.writeString(text, "# Latest as of Sun, 01 Mar 2026 17:00:00 +0000\n# ts=1772384400\n" + relative + " 282176236\n");
        gpg("--clearsign", "--output", autobuilds.resolve("latest-stage3-" + subarch + ".txt").toString(),
                text.toString());
    }

    /** A tiny tar.xz root tree whose os-release names where it was published. */
    private Path standIn(String host, String path) throws IOException, InterruptedException {
        Path target = www.resolve(host).resolve(path);
        Files.createDirectories(target.getParent());
        Path tree = Files.createTempDirectory(dir, "tree");
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/os-release"), "NAME=stand-in\nPUBLISHED_AT=https://" + host + "/" + path
                + "\n");
        run(dir, "tar", "--create", "--xz", "--numeric-owner", "--file", target.toString(), "--directory",
                tree.toString(), ".");
        return target;
    }

    private void gpg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--quiet",
                "--yes", "--local-user", fingerprint));
        command.addAll(List.of(args));
        run(dir, command.toArray(String[]::new));
    }

    private SSLContext tls() throws IOException, InterruptedException, java.security.GeneralSecurityException {
        Path keystore = dir.resolve("mirror.p12");
        run(dir, "keytool", "-genkeypair", "-alias", "mirror", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=loopback mirror", "-ext", "SAN=dns:" + FUNTOO_HOST + ",dns:" + GENTOO_HOST + ",dns:"
                        + KEYS_HOST, "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "loopback", "-keypass", "loopback");
        run(dir, "keytool", "-exportcert", "-rfc", "-alias", "mirror", "-keystore", keystore.toString(),
                "-storepass", "loopback", "-file", dir.resolve("mirror.pem").toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "loopback".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "loopback".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Files under www/<Host>/, as a plain static server answers: 200 with the bytes, or 404. */
    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).replaceFirst(":[0-9]+$", "");
            String path = exchange.getRequestURI().getPath();
            Path root = www.resolve(host).normalize();
            Path file = root.resolve(path.replaceFirst("^/+", "")).normalize();
            boolean found = file.startsWith(root) && root.startsWith(www) && Files.isRegularFile(file)
                    && exchange.getRequestMethod().equals("GET");
            requests.add((found ? 200 : 404) + " https://" + host + path);
            if (!found) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    void close() {
        server.stop(0);
        try {
            runAllowingFailure(dir, Map.of(), 10, "gpgconf", "--homedir", gnupg.toString(), "--kill", "gpg-agent");
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // the agent ends with its directory anyway
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it up
        }
    }

    static String run(Path cwd, String... command) throws IOException, InterruptedException {
        return run(cwd, Map.of(), 60, command).stdout();
    }

    record Ran(int status, String stdout, String stderr) {
    }

    /** Runs a command with {@code environment} (and nothing else but PATH), failing on a non-zero exit status. */
    static Ran run(Path cwd, Map<String, String> environment, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        Ran ran = runAllowingFailure(cwd, environment, timeoutSeconds, command);
        if (ran.status() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + ran.status() + "): "
                    + ran.stderr());
        }
        return ran;
    }

    static Ran runAllowingFailure(Path cwd, Map<String, String> environment, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        if (!environment.isEmpty()) {
            String path = pb.environment().get("PATH");
            pb.environment().clear();
            pb.environment().put("PATH", path);
            pb.environment().putAll(environment);
        }
        Path out = Files.createTempFile(cwd, "out", ".txt");
        Path err = Files.createTempFile(cwd, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = pb.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeoutSeconds + " s");
        }
        Ran ran = new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return ran;
    }
}
