package dev.mkplat.certs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * How to make this machine trust the platform CA: the operating system's store (Debian/Ubuntu
 * ca-certificates, Fedora ca-trust, the macOS System keychain, Windows' Root store), the JDK's
 * {@code cacerts}, and the NSS databases of Firefox profiles and of Chrome on Linux. {@link #plan}
 * says what applies here; {@link #install} runs the steps it can and prints the rest for sudo.
 */
public final class CaTrust {
    private CaTrust() {}

    /** The operating systems whose stores mkplat knows. */
    public enum Platform {
        DEBIAN,
        FEDORA,
        MACOS,
        WINDOWS,
        OTHER
    }

    /**
     * Where mkplat runs: the inputs of {@link #plan}, so that tests can describe any machine.
     *
     * @param platform the operating system
     * @param home     the user's home (Firefox profiles, Chrome's NSS database)
     * @param javaHome the JDK whose cacerts to update (the one running mkplat)
     * @param onPath   whether a program is on the PATH
     * @param writable whether this user can write a path (false means the step needs sudo)
     */
    public record Machine(
            Platform platform, Path home, Path javaHome, Predicate<String> onPath, Predicate<Path> writable) {
        /** This machine. */
        public static Machine current(Path home) {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            Predicate<String> onPath =
                    program -> pathDirectories().stream().anyMatch(dir -> Files.isExecutable(dir.resolve(program)));
            Platform platform = os.startsWith("mac")
                    ? Platform.MACOS
                    : os.startsWith("windows")
                            ? Platform.WINDOWS
                            : Files.exists(Path.of("/etc/debian_version")) || onPath.test("update-ca-certificates")
                                    ? Platform.DEBIAN
                                    : onPath.test("update-ca-trust") ? Platform.FEDORA : Platform.OTHER;
            return new Machine(platform, home, Path.of(System.getProperty("java.home")), onPath, CaTrust::canWrite);
        }

        private static List<Path> pathDirectories() {
            String path = System.getenv().getOrDefault("PATH", "");
            return path.isEmpty()
                    ? List.of()
                    : Arrays.stream(path.split(File.pathSeparator))
                            .map(Path::of)
                            .toList();
        }
    }

    /**
     * One command of a step.
     *
     * @param arguments the program and its arguments
     * @param mayFail   a clean-up whose failure is expected (removing an entry that is not there yet)
     */
    public record Command(List<String> arguments, boolean mayFail) {
        public Command {
            arguments = List.copyOf(arguments);
        }

        static Command of(String... arguments) {
            return new Command(List.of(arguments), false);
        }

        static Command cleanup(String... arguments) {
            return new Command(List.of(arguments), true);
        }

        /** As a shell line, with quotes where an argument needs them. */
        public String shell(boolean sudo) {
            List<String> quoted = arguments.stream()
                    .map(argument -> argument.matches("[A-Za-z0-9_./:=,+@-]+")
                            ? argument
                            : "'" + argument.replace("'", "'\\''") + "'")
                    .toList();
            return (sudo ? "sudo " : "") + String.join(" ", quoted) + (mayFail ? " || true" : "");
        }
    }

    /**
     * Trusting the CA in one store.
     *
     * @param store       the store, e.g. "Firefox profile abc.default-release"
     * @param commands    what to run, in order
     * @param needsRoot   whether this user lacks the rights (the commands are then shown with sudo)
     * @param unavailable why it cannot be done here (a missing tool), or empty
     * @param caveat      what trusting the CA in this store means beyond the obvious, or empty
     */
    public record Step(String store, List<Command> commands, boolean needsRoot, String unavailable, String caveat) {
        public Step {
            commands = List.copyOf(commands);
        }

        public Step(String store, List<Command> commands, boolean needsRoot, String unavailable) {
            this(store, commands, needsRoot, unavailable, "");
        }

        public boolean available() {
            return unavailable.isEmpty();
        }
    }

    /**
     * Why a Java truststore is different: the JDK takes a trust anchor's key and name and ignores its
     * extensions (RFC 5280 leaves that open), so the CA's name constraint does not hold there, and
     * every Java program using that {@code cacerts} would accept a certificate from {@code ca.key}
     * for any site. The other stores (OpenSSL, NSS, macOS, Windows) enforce it.
     */
    static String javaCaveat(String domain) {
        return "the JDK ignores name constraints on the CAs it trusts, so Java programs using this store accept a certificate "
                + "signed with ca.key for any site, not only *." + domain
                + ": keep ca.key private, or give them a truststore of "
                + "their own (-Djavax.net.ssl.trustStore) instead of the JDK's cacerts";
    }

    /** The steps that apply on {@code machine} for the CA in {@code caFile}. */
    public static List<Step> plan(Path caFile, String domain, Machine machine) {
        String ca = caFile.toAbsolutePath().toString();
        String alias = "mkplat-" + domain;
        String nickname = "mkplat " + domain + " CA";
        List<Step> steps = new ArrayList<>();
        switch (machine.platform()) {
            case DEBIAN -> {
                Path anchors = Path.of("/usr/local/share/ca-certificates");
                steps.add(new Step(
                        "system store (Debian/Ubuntu ca-certificates: curl, wget, most programs)",
                        List.of(
                                Command.of(
                                        "cp",
                                        ca,
                                        anchors.resolve(alias + ".crt").toString()),
                                Command.of("update-ca-certificates")),
                        !machine.writable().test(anchors),
                        machine.onPath().test("update-ca-certificates")
                                ? ""
                                : "update-ca-certificates is not installed"));
            }
            case FEDORA -> {
                Path anchors = Path.of("/etc/pki/ca-trust/source/anchors");
                steps.add(new Step(
                        "system store (Fedora/RHEL ca-trust)",
                        List.of(
                                Command.of(
                                        "cp",
                                        ca,
                                        anchors.resolve(alias + ".crt").toString()),
                                Command.of("update-ca-trust")),
                        !machine.writable().test(anchors),
                        ""));
            }
            case MACOS ->
                steps.add(new Step(
                        "System keychain (Safari, Chrome, curl)",
                        List.of(Command.of(
                                "security",
                                "add-trusted-cert",
                                "-d",
                                "-r",
                                "trustRoot",
                                "-k",
                                "/Library/Keychains/System.keychain",
                                ca)),
                        !machine.writable().test(Path.of("/Library/Keychains/System.keychain")),
                        ""));
            case WINDOWS ->
                steps.add(new Step(
                        "Windows Root store (Edge, Chrome)",
                        List.of(Command.of("certutil", "-addstore", "-f", "ROOT", ca)),
                        true,
                        ""));
            case OTHER ->
                steps.add(new Step(
                        "system store",
                        List.of(),
                        false,
                        "unknown distribution: add " + ca + " to its CA store by hand"));
        }
        Path cacerts = machine.javaHome().resolve("lib").resolve("security").resolve("cacerts");
        String keytool = machine.javaHome().resolve("bin").resolve("keytool").toString();
        steps.add(new Step(
                "Java (" + cacerts + ")",
                List.of(
                        Command.cleanup(
                                keytool, "-delete", "-noprompt", "-cacerts", "-storepass", "changeit", "-alias", alias),
                        Command.of(
                                keytool,
                                "-importcert",
                                "-noprompt",
                                "-cacerts",
                                "-storepass",
                                "changeit",
                                "-alias",
                                alias,
                                "-file",
                                ca)),
                !machine.writable().test(cacerts),
                Files.exists(cacerts) ? "" : "no cacerts in " + machine.javaHome(),
                javaCaveat(domain)));
        String certutilMissing = machine.onPath().test("certutil") && machine.platform() != Platform.WINDOWS
                ? ""
                : "certutil is not installed (apt install libnss3-tools, dnf install nss-tools, brew install nss)";
        for (Path database : nssDatabases(machine)) {
            String store = database.endsWith(Path.of(".pki", "nssdb"))
                    ? "Chrome/Chromium (" + database + ")"
                    : "Firefox profile " + database.getFileName();
            steps.add(new Step(
                    store,
                    List.of(
                            Command.cleanup("certutil", "-D", "-d", "sql:" + database, "-n", nickname),
                            Command.of(
                                    "certutil", "-A", "-d", "sql:" + database, "-t", "C,,", "-n", nickname, "-i", ca)),
                    false,
                    certutilMissing));
        }
        return steps;
    }

    /** The NSS databases (cert9.db) of the user's Firefox profiles and of Chrome on Linux. */
    static List<Path> nssDatabases(Machine machine) {
        List<Path> roots = machine.platform() == Platform.MACOS
                ? List.of(machine.home().resolve("Library/Application Support/Firefox/Profiles"))
                : List.of(
                        machine.home().resolve(".mozilla/firefox"),
                        machine.home().resolve("snap/firefox/common/.mozilla/firefox"));
        List<Path> databases = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> profiles = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path profile : profiles) {
                    if (Files.exists(profile.resolve("cert9.db"))) {
                        databases.add(profile);
                    }
                }
            } catch (IOException unreadable) {
                // A profile directory we cannot list is one we could not update either.
            }
        }
        Path chrome = machine.home().resolve(".pki/nssdb");
        if (machine.platform() != Platform.MACOS && Files.exists(chrome.resolve("cert9.db"))) {
            databases.add(chrome);
        }
        return databases.stream().sorted().toList();
    }

    /** The steps as instructions: each store, then its commands (with sudo where needed). */
    public static String instructions(List<Step> steps) {
        StringBuilder text = new StringBuilder();
        for (Step step : steps) {
            text.append('\n').append(step.store()).append(":\n");
            if (!step.available()) {
                text.append("  (not here: ").append(step.unavailable()).append(")\n");
            }
            if (!step.caveat().isEmpty()) {
                text.append("  warning: ").append(step.caveat()).append('\n');
            }
            step.commands()
                    .forEach(command -> text.append("  ")
                            .append(command.shell(step.needsRoot()))
                            .append('\n'));
        }
        return text.toString();
    }

    /**
     * Runs the available steps this user has the rights for, and says what it did, one line per
     * store. Steps that need root are not attempted: their commands are printed for sudo.
     *
     * @param failed whether a step that ran failed
     */
    public record Installation(List<String> lines, boolean failed) {}

    public static Installation install(List<Step> steps) {
        List<String> lines = new ArrayList<>();
        boolean failed = false;
        for (Step step : steps) {
            if (!step.available()) {
                lines.add("skipped " + step.store() + ": " + step.unavailable());
            } else if (step.needsRoot()) {
                lines.add("skipped " + step.store() + ": needs root; run:");
                step.commands().forEach(command -> lines.add("  " + command.shell(true)));
                if (!step.caveat().isEmpty()) {
                    lines.add("  warning: " + step.caveat());
                }
            } else {
                String problem = runAll(step.commands());
                lines.add(problem.isEmpty() ? "trusted in " + step.store() : "FAILED " + step.store() + ": " + problem);
                failed |= !problem.isEmpty();
                if (problem.isEmpty() && !step.caveat().isEmpty()) {
                    lines.add("  warning: " + step.caveat());
                }
            }
        }
        return new Installation(lines, failed);
    }

    private static String runAll(List<Command> commands) {
        for (Command command : commands) {
            try {
                Process process = new ProcessBuilder(command.arguments())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return command.shell(false) + " did not finish in 60 s";
                }
                if (process.exitValue() != 0 && !command.mayFail()) {
                    return command.shell(false) + " exited " + process.exitValue()
                            + (output.isEmpty()
                                    ? ""
                                    : ": " + output.lines().reduce((a, b) -> b).orElse(""));
                }
            } catch (IOException e) {
                if (!command.mayFail()) {
                    return "cannot run " + command.arguments().getFirst() + ": " + e.getMessage();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return "";
    }

    private static boolean canWrite(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.isWritable(existing);
    }
}
