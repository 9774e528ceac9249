package dev.mkplat.kube;

import java.util.List;
import java.util.Map;

/**
 * What {@code mkplat images} needs to know about a node: its name and labels (which kind of local
 * cluster it belongs to) and the names of the images its container runtime has
 * ({@code status.images}).
 *
 * @param name   the node's name
 * @param labels its labels
 * @param images every name of every image the node reports, for example
 *               {@code docker.io/mkplat/api:0.1.0} and {@code docker.io/mkplat/api@sha256:...}
 */
public record NodeInfo(String name, Map<String, String> labels, List<String> images) {
    public NodeInfo {
        labels = Map.copyOf(labels);
        images = List.copyOf(images);
    }
}
