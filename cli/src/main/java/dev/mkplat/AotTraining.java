package dev.mkplat;

import com.sun.net.httpserver.HttpServer;
import dev.mkplat.cli.Cli;
import dev.mkplat.core.Environment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The training run from which {@code scripts/mkplat} makes the JDK's AOT cache (JEP 483; with JDK
 * 25 the cache also keeps the method profiles of the run, JEP 515, so the JIT starts from them).
 * A cache holds what the training run loaded and linked, so the run does what users do, not only
 * {@code --help}, and touches nothing of theirs: a temporary directory and home, no cluster.
 *
 * <ul>
 *   <li>{@code commands}: the help of every command, {@code certs generate --no-apply} and
 *       {@code deploy --dry-run} (configuration, rendering, YAML, the CA);
 *   <li>{@code traffic}: short closed and open runs against a server on the loopback started
 *       here, so that the load generator's request path is compiled from its first second.
 * </ul>
 */
public final class AotTraining {
    private AotTraining() {}

    /** Runs the training of {@code args[0]}, {@code commands} (the default) or {@code traffic}. */
    public static void main(String[] args) throws IOException {
        String workload = args.length == 0 ? "commands" : args[0];
        if (!workload.equals("commands") && !workload.equals("traffic")) {
            throw new IllegalArgumentException("training: no workload " + workload + " (commands or traffic)");
        }
        Path work = Files.createTempDirectory("mkplat-aot-training");
        try {
            Environment environment = Environment.of(work, Files.createDirectories(work.resolve("home")));
            if ("traffic".equals(workload)) {
                trainTraffic(environment);
            } else {
                for (List<String> command : commands()) {
                    run(environment, command.toArray(String[]::new));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    private static List<List<String>> commands() {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("--help"));
        commands.add(List.of("--version"));
        for (String name : Cli.subcommandNames()) {
            commands.add(List.of(name, "--help"));
        }
        commands.add(List.of("certs", "generate", "--no-apply"));
        commands.add(List.of("deploy", "--dry-run"));
        return commands;
    }

    private static void trainTraffic(Environment environment) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ExecutorService handlers = Executors.newFixedThreadPool(2);
        server.setExecutor(handlers);
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            run(
                    environment,
                    "traffic",
                    "--url",
                    url,
                    "--closed",
                    "--connections",
                    "16",
                    "--duration",
                    "4s",
                    "--no-thresholds");
            run(environment, "traffic", "--url", url, "--rps", "500", "--duration", "2s", "--no-thresholds");
        } finally {
            server.stop(0);
            handlers.shutdownNow();
        }
    }

    /** Runs one command line; one that fails would train the cache on its error path, so it stops the training. */
    private static void run(Environment environment, String... args) {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        StringWriter err = new StringWriter();
        int code = Cli.execute(discard, new PrintWriter(err, true), environment, args);
        if (code != 0) {
            throw new IllegalStateException(
                    "training: mkplat " + String.join(" ", args) + " exited " + code + ": " + err);
        }
    }
}
