package dev.mkplat.service.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An image archive run as a container by {@code runc} (Debian's package; scripts/images installs
 * it), the way a kubelet would run it: the image's entrypoint and environment unless the test
 * overrides them as a pod spec's {@code command}/{@code args}/{@code env} would, its user unless
 * overridden like {@code runAsUser}, a read-only root file system, and volumes as bind mounts.
 * It shares the host's network namespace, so a test reaches it on 127.0.0.1 and it reaches the
 * test's own servers there; every port is therefore chosen free by the test.
 */
public final class RuncContainer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a container test did not run, for {@code assumeTrue}. */
    public static final String MISSING =
            "runc is not installed or this is not root, so image containers are not started. "
                    + "scripts/images runc installs Debian's runc; the tests run containers as root.";

    private final String id;
    private final Path bundle;
    private final Path log;
    private Process process;

    private RuncContainer(String id, Path bundle) {
        this.id = id;
        this.bundle = bundle;
        this.log = bundle.resolve("container.log");
    }

    /** Skips the test unless runc can run here; under {@code CI=true} fails instead. */
    public static void assumeAvailable() {
        boolean available = HostCommand.exec(List.of("runc", "--version"), 20).exitCode() == 0
                && "0".equals(HostCommand.exec(List.of("id", "-u"), 20).output().strip());
        if (!available && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true: the image tests must run, not be skipped. " + MISSING);
        }
        assumeTrue(available, MISSING);
    }

    /** What to run and how: a pod spec's container fields, as far as the tests need them. */
    public static final class Spec {
        private final ImageArchive image;
        private List<String> command;
        private List<String> args;
        private final List<String> env = new ArrayList<>();
        private String user;
        private final List<String[]> mounts = new ArrayList<>();
        private final List<String> tmpfs = new ArrayList<>(List.of("/tmp"));

        private Spec(ImageArchive image) {
            this.image = image;
        }

        /** Replaces the image's entrypoint (and then its Cmd, as Kubernetes does). */
        public Spec command(String... command) {
            this.command = List.of(command);
            return this;
        }

        /** Replaces the image's Cmd. */
        public Spec args(String... args) {
            this.args = List.of(args);
            return this;
        }

        /** Adds {@code NAME=value} to the image's environment. */
        public Spec env(String name, String value) {
            env.add(name + "=" + value);
            return this;
        }

        /** {@code uid:gid}, as runAsUser and runAsGroup. */
        public Spec user(String user) {
            this.user = user;
            return this;
        }

        /** A host directory at {@code target}, writable unless {@code readOnly}. */
        public Spec mount(Path source, String target, boolean readOnly) {
            mounts.add(new String[] {source.toString(), target, readOnly ? "ro" : "rw"});
            return this;
        }

        /** An empty, writable directory at {@code target} (an emptyDir). /tmp is always one. */
        public Spec tmpfs(String target) {
            tmpfs.add(target);
            return this;
        }

        /** Unpacks the image under {@code workDir} and starts the container. */
        public RuncContainer start(Path workDir) {
            return RuncContainer.start(this, workDir);
        }
    }

    public static Spec of(ImageArchive image) {
        return new Spec(image);
    }

    private static RuncContainer start(Spec spec, Path workDir) {
        try {
            Path bundle = Files.createDirectories(workDir.resolve("bundle"));
            spec.image.unpack(bundle.resolve("rootfs"));
            ImageArchive.ImageConfig config = spec.image.config();
            List<String> argv = new ArrayList<>(spec.command != null ? spec.command : config.entrypoint());
            argv.addAll(spec.args != null ? spec.args : spec.command != null ? List.of() : config.cmd());
            List<String> env = new ArrayList<>(config.env());
            env.addAll(spec.env);
            String user = spec.user != null ? spec.user : config.user().isEmpty() ? "0:0" : config.user();
            String[] ids = user.split(":");
            if (ids.length != 2 || !ids[0].matches("\\d+") || !ids[1].matches("\\d+")) {
                throw new IllegalArgumentException(
                        "user must be numeric uid:gid (as runAsUser/runAsGroup), got " + user);
            }
            ObjectNode process = JSON.createObjectNode()
                    .put("terminal", false)
                    .put("cwd", config.workingDir().isEmpty() ? "/" : config.workingDir())
                    .put("noNewPrivileges", true);
            process.putObject("user").put("uid", Integer.parseInt(ids[0])).put("gid", Integer.parseInt(ids[1]));
            process.set("args", JSON.valueToTree(argv));
            process.set("env", JSON.valueToTree(env));
            // capabilities: drop ALL, as the manifests' securityContext does.
            ObjectNode caps = process.putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                caps.putArray(set);
            }
            ObjectNode root = JSON.createObjectNode().put("ociVersion", "1.0.2");
            root.set("process", process);
            root.putObject("root").put("path", "rootfs").put("readonly", true);
            root.put("hostname", "container");
            ArrayNode mounts = root.putArray("mounts");
            mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
            mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
            mount(
                    mounts,
                    "/dev/pts",
                    "devpts",
                    "devpts",
                    List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"));
            mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
            mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
            for (String target : spec.tmpfs) {
                mount(mounts, target, "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777"));
            }
            for (String[] m : spec.mounts) {
                mount(mounts, m[1], "bind", m[0], List.of("rbind", m[2]));
            }
            // The host's resolver file, as a kubelet mounts one: the JVM reads it for DNS.
            mount(mounts, "/etc/resolv.conf", "bind", "/etc/resolv.conf", List.of("rbind", "ro"));
            ObjectNode linux = root.putObject("linux");
            ArrayNode namespaces = linux.putArray("namespaces");
            for (String ns : List.of("pid", "ipc", "uts", "mount")) {
                namespaces.addObject().put("type", ns);
            }
            linux.putArray("maskedPaths").add("/proc/kcore").add("/proc/keys").add("/proc/timer_list");
            linux.putArray("readonlyPaths").add("/proc/sys").add("/proc/sysrq-trigger");
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(bundle.resolve("config.json").toFile(), root);

            RuncContainer container = new RuncContainer(
                    "mkplat-test-" + UUID.randomUUID().toString().substring(0, 8), bundle);
            container.process = new ProcessBuilder("runc", "run", "--bundle", bundle.toString(), container.id)
                    .redirectErrorStream(true)
                    .redirectOutput(container.log.toFile())
                    .start();
            container.process.getOutputStream().close();
            return container;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a container", e);
        }
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject()
                .put("destination", destination)
                .put("type", type)
                .put("source", source);
        m.set("options", JSON.valueToTree(options));
    }

    /** True while the container's main process runs. */
    public boolean running() {
        return process.isAlive();
    }

    /** Runs a command in the running container, as a probe's {@code exec} does. */
    public HostCommand.Result exec(String user, String... command) {
        List<String> argv = new ArrayList<>(List.of("runc", "exec", "--user", user, id));
        argv.addAll(List.of(command));
        return HostCommand.exec(argv, 30);
    }

    /** What the container wrote to stdout and stderr so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Sends SIGTERM, as a kubelet does first, and waits for the container to exit. Returns its exit code. */
    public int stop(int graceSeconds) {
        HostCommand.exec(List.of("runc", "kill", id, "TERM"), 20);
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                HostCommand.exec(List.of("runc", "kill", id, "KILL"), 20);
                process.waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop(10);
        }
        HostCommand.exec(List.of("runc", "delete", "--force", id), 30);
    }
}
