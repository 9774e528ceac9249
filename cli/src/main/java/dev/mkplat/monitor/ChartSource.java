package dev.mkplat.monitor;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/** Where the chart comes from: a chart repository and a version, or a chart archive on disk (air-gapped). */
public sealed interface ChartSource {
    /** What the user reads, for example {@code kube-prometheus-stack 75.13.0 from https://...}. */
    String describe();

    /**
     * A chart of a chart repository.
     *
     * @param url            the repository, whose {@code index.yaml} lists the versions
     * @param repositoryName the name Helm knows the repository by ({@code prometheus-community})
     * @param chart          the chart's name in it
     * @param version        the exact version
     */
    record Repository(URI url, String repositoryName, String chart, String version) implements ChartSource {
        public Repository {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(repositoryName, "repositoryName");
            Objects.requireNonNull(chart, "chart");
            Objects.requireNonNull(version, "version");
        }

        /** How Helm names the chart once the repository is added: {@code repositoryName/chart}. */
        public String reference() {
            return repositoryName + "/" + chart;
        }

        @Override
        public String describe() {
            return chart + " " + version + " from " + url;
        }
    }

    /**
     * A packaged chart ({@code helm package} makes one, {@code helm pull} downloads one).
     *
     * @param file the {@code .tgz}
     */
    record Archive(Path file) implements ChartSource {
        public Archive {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            return "the chart archive " + file;
        }
    }
}
