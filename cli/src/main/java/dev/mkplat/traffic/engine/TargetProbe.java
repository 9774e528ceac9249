package dev.mkplat.traffic.engine;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before any load: can each target's host and port be reached? One TCP connect each, so that a
 * wrong URL or a stopped service gives one clear sentence instead of thousands of failed requests.
 */
public final class TargetProbe {
    private TargetProbe() {}

    /** One problem per target that cannot be reached, naming the target, its URL and why. */
    public static List<String> unreachable(Map<String, URI> targets, Duration timeout) {
        List<String> problems = new ArrayList<>();
        targets.forEach((name, url) -> {
            int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(url.getHost(), port), (int) Math.max(1, timeout.toMillis()));
            } catch (UnknownHostException e) {
                problems.add("cannot reach " + name + " at " + url + ": unknown host " + url.getHost());
            } catch (ConnectException e) {
                problems.add("cannot reach " + name + " at " + url + ": connection refused");
            } catch (SocketTimeoutException e) {
                problems.add("cannot reach " + name + " at " + url + ": no answer to connect within "
                        + timeout.toMillis() + "ms");
            } catch (IOException | IllegalArgumentException e) {
                problems.add("cannot reach " + name + " at " + url + ": " + e.getMessage());
            }
        });
        return problems;
    }
}
