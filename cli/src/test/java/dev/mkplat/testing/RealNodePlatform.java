package dev.mkplat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.cli.Cli;
import dev.mkplat.core.Environment;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What the end-to-end tests on the real node of {@code scripts/test-cluster up --real-node} share:
 * a work directory and a home of their own, the node's address, curl through the node's ingress as
 * a user reaches the platform (its hosts resolved to the node, only the platform's CA trusted), and
 * mkplat run in process or as the packaged jar in a JVM of its own.
 */
public final class RealNodePlatform {
    /** The platform's ingress hosts, as {@code mkplat.yaml}'s default domain names them. */
    public static final List<String> HOSTS = List.of("api.test", "auth.test", "images.test");
    /** The label {@code scripts/test-cluster} gives its real node. */
    public static final String NODE_LABEL = "mkplat.io/test-cluster-node";

    private final Path checkout = Path.of("").toAbsolutePath().getParent();
    private final Path kubeconfig;
    private final Path work;
    private final Path home;
    private final String nodeAddress;

    /** One mkplat run: its exit code and what it printed. */
    public record Run(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    /**
     * One answer through the ingress: the status, {@code Retry-After} (empty when absent), the body;
     * status 0 when curl got no answer within its time (the body then has curl's error).
     */
    public record Answer(int status, String retryAfter, String body) {}

    private RealNodePlatform(Path kubeconfig, Path work, Path home, String nodeAddress) {
        this.kubeconfig = kubeconfig;
        this.work = work;
        this.home = home;
        this.nodeAddress = nodeAddress;
    }

    /**
     * The real node of {@code client}, with a new work directory and home named after {@code name};
     * skips the test when it does not run from a source checkout.
     */
    public static RealNodePlatform on(KubernetesClient client, Path kubeconfig, String name) throws IOException {
        String address =
                client
                        .nodes()
                        .withLabel(NODE_LABEL, "real")
                        .list()
                        .getItems()
                        .getFirst()
                        .getStatus()
                        .getAddresses()
                        .stream()
                        .filter(nodeAddress -> "InternalIP".equals(nodeAddress.getType()))
                        .map(NodeAddress::getAddress)
                        .findFirst()
                        .orElseThrow();
        RealNodePlatform platform = new RealNodePlatform(
                kubeconfig,
                Files.createTempDirectory("mkplat-" + name + "-work"),
                Files.createTempDirectory("mkplat-" + name + "-home"),
                address);
        Assumptions.assumeTrue(
                Files.isRegularFile(platform.checkout.resolve("mvnw")),
                "not run from a source checkout: " + platform.checkout);
        return platform;
    }

    public Path checkout() {
        return checkout;
    }

    public Path work() {
        return work;
    }

    public Path home() {
        return home;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String nodeAddress() {
        return nodeAddress;
    }

    /** The packaged CLI; skips the test when the cli module was not packaged. */
    public Path jar() {
        Path jar = checkout.resolve("cli/target/mkplat.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "no " + jar + ": package the cli module first");
        return jar;
    }

    /** A hosts file that resolves the platform's hosts to the node, for a JVM's {@code -Djdk.net.hosts.file}, as a user's /etc/hosts would. */
    public Path hostsFile() throws IOException {
        return Files.writeString(work.resolve("hosts"), nodeAddress + " " + String.join(" ", HOSTS) + "\n");
    }

    /** The CA that {@code mkplat up} generated in the work directory. */
    public Path caCertificate() {
        return work.resolve("certs/test/ca.crt");
    }

    // --- the CLI

    /** mkplat in process, in the work directory, against the node ({@code --kubeconfig} added). */
    public Run mkplat(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        return mkplatIn(work, home, all.toArray(String[]::new));
    }

    /** mkplat in process, in {@code directory} with {@code home}, with exactly {@code args}. */
    public Run mkplatIn(Path directory, Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.create(new PrintWriter(out, true), new PrintWriter(err, true), Environment.of(directory, home))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * The checkout's service images in the node's registry: built unless their archives are there,
     * then {@code mkplat images load}.
     */
    public void loadImages() {
        boolean built = List.of("api", "auth", "images").stream()
                .allMatch(service -> Files.isRegularFile(
                        checkout.resolve("services/" + service + "/target/image/" + service + ".tar")));
        Path userHome = Path.of(System.getProperty("user.home"));
        if (!built) {
            Run build = mkplatIn(checkout, userHome, "images", "build");
            assertThat(build.exitCode()).as(build.all()).isZero();
        }
        Run load = mkplatIn(checkout, userHome, "images", "load", "--kubeconfig", kubeconfig.toString());
        assertThat(load.exitCode()).as(load.all()).isZero();
    }

    /**
     * The packaged jar in a JVM of its own, in the work directory, as a new user's shell runs it: its
     * HOME is the test's, no KUBECONFIG but what {@code args} name, the user's cache (crane, the
     * images build's). {@code jvmOptions} go before {@code -jar}.
     */
    public Run mkplatJar(List<String> jvmOptions, List<String> args, long timeoutMinutes) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(args);
        Path out = Files.createTempFile(work, "mkplat-", ".out");
        Path err = Files.createTempFile(work, "mkplat-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().put("HOME", home.toString());
        builder.environment()
                .put(
                        "MKPLAT_CACHE",
                        Path.of(System.getProperty("user.home"), ".cache/mkplat")
                                .toString());
        Process process = builder.start();
        try {
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("mkplat " + String.join(" ", args) + " did not end within " + timeoutMinutes
                        + " minutes:\n" + Files.readString(out) + Files.readString(err));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError(e);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    // --- through the ingress, as a user

    /** {@code https://<service>.test<path>}. */
    public static String url(String service, String path) {
        return "https://" + service + ".test" + path;
    }

    /** curl through the node's ingress, trusting only the platform's CA, giving up after {@code maxSeconds}. */
    public Answer curl(String method, String url, List<String> arguments, int maxSeconds) {
        Path headers = work.resolve("headers-" + UUID.randomUUID());
        List<String> command = new ArrayList<>(List.of(
                "curl",
                "-sS",
                "--max-time",
                Integer.toString(maxSeconds),
                "-X",
                method,
                "-D",
                headers.toString(),
                "-w",
                "\n%{http_code}",
                "--cacert",
                caCertificate().toString()));
        for (String host : HOSTS) {
            command.addAll(List.of("--resolve", host + ":443:" + nodeAddress));
        }
        command.addAll(arguments);
        command.add(url);
        try {
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(maxSeconds + 15L, TimeUnit.SECONDS))
                    .as(String.join(" ", command))
                    .isTrue();
            int split = output.lastIndexOf('\n');
            int status = curl.exitValue() == 0 && split >= 0
                    ? Integer.parseInt(output.substring(split + 1).trim())
                    : 0;
            String retryAfter = Files.exists(headers)
                    ? Files.readAllLines(headers).stream()
                            .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("retry-after:"))
                            .map(line -> line.substring("retry-after:".length()).strip())
                            .findFirst()
                            .orElse("")
                    : "";
            Files.deleteIfExists(headers);
            return new Answer(status, retryAfter, split >= 0 && status != 0 ? output.substring(0, split) : output);
        } catch (IOException e) {
            throw new AssertionError("cannot run curl (this test needs it on PATH): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
