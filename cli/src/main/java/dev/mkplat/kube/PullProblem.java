package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A container that cannot start because its image cannot be pulled: the kubelet's waiting reason
 * {@code ErrImagePull} (the first failure) or {@code ImagePullBackOff} (it waits before the next try),
 * or {@code InvalidImageName}.
 *
 * @param namespace the pod's namespace
 * @param pod       the pod's name
 * @param container the container's name
 * @param image     the image the pod asks for (from the pod's spec, as written in the manifests)
 * @param reason    the waiting reason
 * @param message   the kubelet's message (often the registry's answer), or empty
 */
public record PullProblem(String namespace, String pod, String container, String image, String reason, String message) {
    /** The waiting reasons that mean the image could not be pulled. */
    public static final Set<String> REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");

    /** How to get an image into the cluster, for the warning. */
    public static final String HINT =
            "the cluster cannot get this image; build it and put it there: mkplat images build && "
                    + "mkplat images load (minikube, kind, the test cluster), or mkplat images push REGISTRY/PATH and images.registry: "
                    + "REGISTRY/PATH in mkplat.yaml (any other cluster)";

    /** Whether a blocker line, as {@link WorkloadReadiness} writes them ({@code pod: reason}), names one of {@link #REASONS}. */
    public static boolean mentionsPullReason(String blocker) {
        return REASONS.stream().anyMatch(reason -> blocker.contains(": " + reason) || blocker.startsWith(reason));
    }

    /** The warning line: which pod, which image, what the kubelet said. */
    public String warning() {
        return "warning: " + namespace + "/" + pod + " cannot pull " + image + " (" + reason
                + (message.isEmpty() ? "" : ": " + message) + ")";
    }

    /** The containers of these pods that cannot pull their image, in pod order. Pure: reads only the objects. */
    public static List<PullProblem> of(List<Pod> pods) {
        List<PullProblem> problems = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getSpec() == null) {
                continue;
            }
            for (List<ContainerStatus> statuses : Arrays.asList(
                    pod.getStatus().getInitContainerStatuses(), pod.getStatus().getContainerStatuses())) {
                for (ContainerStatus status : Objects.requireNonNullElse(statuses, List.<ContainerStatus>of())) {
                    var waiting =
                            status.getState() == null ? null : status.getState().getWaiting();
                    if (waiting == null || waiting.getReason() == null || !REASONS.contains(waiting.getReason())) {
                        continue;
                    }
                    problems.add(new PullProblem(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            status.getName(),
                            specImage(pod, status.getName()).orElse(Objects.requireNonNullElse(status.getImage(), "?")),
                            waiting.getReason(),
                            Objects.requireNonNullElse(waiting.getMessage(), "")
                                    .replaceAll("\\s+", " ")
                                    .strip()));
                }
            }
        }
        return List.copyOf(problems);
    }

    private static Optional<String> specImage(Pod pod, String container) {
        return Stream.concat(pod.getSpec().getContainers().stream(), pod.getSpec().getInitContainers().stream())
                .filter(candidate -> container.equals(candidate.getName()))
                .map(Container::getImage)
                .filter(Objects::nonNull)
                .findFirst();
    }
}
