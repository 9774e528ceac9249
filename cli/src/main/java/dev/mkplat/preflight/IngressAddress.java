package dev.mkplat.preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the platform's host names must point: the ingress controller's LoadBalancer address when it
 * has one, else {@code minikube ip} for a minikube context, else 127.0.0.1 (kind, k3d and Docker
 * Desktop publish the ingress on the host's ports).
 *
 * @param address the IP address
 * @param source  where it came from, for people
 */
public record IngressAddress(String address, String source) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * @param context        the kubeconfig context
     * @param loadBalancer   the controller Service's LoadBalancer address, if any
     * @param runCommand     runs a command and returns its stdout when it exits 0 (stubbed in tests)
     */
    public static IngressAddress find(
            String context, Optional<String> loadBalancer, Function<List<String>, Optional<String>> runCommand) {
        // The status of a Service is written by whoever runs the load balancer; only an IP address is used.
        if (loadBalancer.filter(HostsFile::isIpAddress).isPresent()) {
            return new IngressAddress(loadBalancer.get(), "the ingress-nginx LoadBalancer");
        }
        if (context.equals("minikube")) {
            Optional<String> ip = runCommand
                    .apply(List.of("minikube", "ip", "-p", context))
                    .map(String::strip)
                    .filter(out -> IPV4.matcher(out).matches());
            if (ip.isPresent()) {
                return new IngressAddress(ip.get(), "minikube ip");
            }
        }
        return new IngressAddress("127.0.0.1", "this machine: no LoadBalancer address yet");
    }

    /** Runs a command for at most 10 seconds; its stdout when it exits 0, else empty (also when it is not installed). */
    public static Optional<String> run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
