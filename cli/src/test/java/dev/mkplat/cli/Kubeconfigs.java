package dev.mkplat.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubeconfigs for tests that must not reach a cluster: their server is a local port nobody listens on. */
final class Kubeconfigs {
    private Kubeconfigs() {}

    /** A port that was free a moment ago: connecting to it is refused at once. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Writes {@code kubeconfig} in {@code directory} with one context, {@code context}, pointing at {@code server}. */
    static Path write(Path directory, String context, String server) throws IOException {
        return Files.writeString(directory.resolve("kubeconfig-" + context), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: target
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: %s
                  context:
                    cluster: target
                    user: someone
                current-context: %s
                users:
                - name: someone
                  user:
                    token: not-a-real-token
                """.formatted(server, context, context));
    }

    /** A kubeconfig whose (local-looking) context points at a closed port. */
    static Path unreachable(Path directory, String context) throws IOException {
        return write(directory, context, "https://127.0.0.1:" + closedPort());
    }
}
