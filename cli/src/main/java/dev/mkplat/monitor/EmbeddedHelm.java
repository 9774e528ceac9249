package dev.mkplat.monitor;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.UpgradeCommand;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The Helm calls mkplat makes, through helm-java (Helm's own Go code, loaded as a native library):
 * upgrade-or-install and uninstall. Helm's errors come back as one line with a hint; the repository
 * ones (unreachable, unknown version) say how to install without it.
 *
 * @param kubeconfig the kubeconfig text, its current context the one in use
 * @param workDir    a private directory for the repository list and the values file
 */
record EmbeddedHelm(String kubeconfig, Path workDir) {
    /**
     * {@code helm upgrade --install}: installs the release when it does not exist, upgrades it
     * otherwise, with exactly these values (the previous ones are not reused). Does not wait: the
     * caller waits with progress.
     *
     * @param description stored with the revision (mkplat's fingerprint)
     */
    Release upgradeInstall(
            ChartSource chart,
            String release,
            String namespace,
            Path values,
            String description,
            Duration timeout,
            boolean exists) {
        int seconds = (int) Math.max(1, timeout.toSeconds());
        String reference = switch (chart) {
            case ChartSource.Repository repository -> repository.reference();
            case ChartSource.Archive archive -> archive.file().toAbsolutePath().toString();
        };
        if (!exists) {
            InstallCommand install = Helm.install(reference);
            if (chart instanceof ChartSource.Repository repository) {
                install.withVersion(repository.version()).withRepositoryConfig(addRepository(repository, true));
            }
            return call(
                    "install " + chart.describe(),
                    chart,
                    install.withName(release)
                            .withNamespace(namespace)
                            .createNamespace()
                            .withValuesFile(values)
                            .withDescription(description)
                            .withTimeout(seconds)
                            .withKubeConfigContents(kubeconfig));
        }
        UpgradeCommand upgrade = Helm.upgrade(reference);
        if (chart instanceof ChartSource.Repository repository) {
            // helm-java 0.0.15's upgrade ignores withRepositoryConfig (install honours it): the
            // repository goes into Helm's default list, as `helm repo add` would put it.
            addRepository(repository, false);
            upgrade.withVersion(repository.version());
        }
        return call(
                "upgrade to " + chart.describe(),
                chart,
                upgrade.install()
                        .withName(release)
                        .withNamespace(namespace)
                        .withValuesFile(values)
                        .resetValues()
                        .withDescription(description)
                        .withTimeout(seconds)
                        .withKubeConfigContents(kubeconfig));
    }

    /** {@code helm uninstall}; returns Helm's message, or empty text when there was no such release. */
    String uninstall(String release, String namespace) {
        return call(
                "uninstall the release " + release,
                null,
                Helm.uninstall(release)
                        .withNamespace(namespace)
                        .ignoreNotFound()
                        .withKubeConfigContents(kubeconfig));
    }

    /**
     * Adds the repository: to a list of one entry in the work directory when {@code private}, so
     * that the user's own Helm set-up is neither read nor changed; otherwise to Helm's default list.
     */
    private Path addRepository(ChartSource.Repository repository, boolean privateList) {
        Path repositories = workDir.resolve("repositories.yaml");
        try {
            Files.deleteIfExists(repositories);
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED, "cannot prepare " + repositories + ": " + e.getMessage(), null, e);
        }
        var add = Helm.repo().add();
        if (privateList) {
            add.withRepositoryConfig(repositories);
        }
        call(
                "read the chart repository " + repository.url(),
                repository,
                add.withName(repository.repositoryName()).withUrl(repository.url()));
        return repositories;
    }

    private static <T> T call(String what, ChartSource chart, Callable<T> command) {
        try {
            return command.call();
        } catch (MkplatException e) {
            throw e;
        } catch (Exception e) {
            throw failure(what, chart, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    /** Helm's error in one line, with a hint that fits it. */
    static MkplatException failure(String what, ChartSource chart, String helmMessage, Throwable cause) {
        String message = helmMessage.strip().replaceAll(":\\s*\\n\\s*", ": ").replaceAll("\\s*\\n\\s*", "; ");
        String lower = message.toLowerCase(Locale.ROOT);
        String offline =
                "without the repository: download the chart elsewhere (helm pull) and pass the .tgz to --chart";
        String hint;
        if (chart instanceof ChartSource.Repository repository
                && lower.contains("not found")
                && lower.contains("version")) {
            hint = "the repository " + repository.url() + " has no " + repository.chart() + " " + repository.version()
                    + "; pick a version it lists (--chart-version, or monitoring.chartVersion in mkplat.yaml)";
        } else if (chart instanceof ChartSource.Repository repository
                && (lower.contains("cannot be reached")
                        || lower.contains("connection refused")
                        || lower.contains("no such host")
                        || lower.contains("timeout")
                        || lower.contains("dial tcp")
                        || lower.contains("not a valid chart repository"))) {
            hint = "check the network and the URL " + repository.url() + " (--repo); or install " + offline;
        } else if (chart instanceof ChartSource.Archive) {
            hint = "pass a chart archive made by helm package or helm pull";
        } else {
            hint = "rerun with --verbose for details; the cluster's events in the namespace may say more";
        }
        return new MkplatException(ExitCode.FAILED, "cannot " + what + ": " + message, hint, cause);
    }
}
