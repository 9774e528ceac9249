package dev.mkplat.preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mkplat.core.AtomicFileWriter;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;

/**
 * The hosts-file line that sends the platform's names to the ingress, e.g.
 * {@code 192.168.49.2 api.test auth.test images.test monitoring.test # mkplat}. Reading says whether
 * every name already resolves there; writing adds or replaces mkplat's own line (found by its
 * marker) after a backup, and refuses to touch lines someone else wrote.
 */
public final class HostsFile {
    /** Marks the line mkplat manages, so that it can be replaced rather than duplicated. */
    public static final String MARKER = "# mkplat";

    private HostsFile() {
    }

    /** The hosts file of this operating system. */
    public static Path system() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                ? Path.of(System.getenv().getOrDefault("SystemRoot", "C:\\Windows"), "System32", "drivers", "etc", "hosts")
                : Path.of("/etc/hosts");
    }

    /** The line to add: the address, every host, the marker. */
    public static String line(String address, List<String> hosts) {
        return address + " " + String.join(" ", hosts) + " " + MARKER;
    }

    /**
     * How the file maps the hosts.
     *
     * @param unmapped  hosts no line maps
     * @param conflicts lines not written by mkplat that send a host elsewhere ({@code 12: 10.0.0.1 api.test})
     * @param stale     whether mkplat's own line exists but is out of date
     */
    public record Inspection(List<String> unmapped, List<String> conflicts, boolean stale) {
        /** Every host resolves to the address. */
        public boolean mapped() {
            return unmapped.isEmpty() && conflicts.isEmpty() && !stale;
        }
    }

    /** Reads {@code content} the way the resolver does: for each name, the first line that names it wins. */
    public static Inspection inspect(String content, String address, List<String> hosts) {
        Map<String, String> firstAddress = new HashMap<>();
        Map<String, String> firstLine = new HashMap<>();
        boolean stale = false;
        List<String> lines = content.lines().toList();
        for (int number = 1; number <= lines.size(); number++) {
            String raw = lines.get(number - 1);
            boolean ours = raw.strip().endsWith(MARKER);
            String[] fields = raw.replaceFirst("#.*$", "").trim().split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            for (int i = 1; i < fields.length; i++) {
                String name = fields[i].toLowerCase(Locale.ROOT);
                if (hosts.contains(name) && !firstAddress.containsKey(name)) {
                    firstAddress.put(name, fields[0]);
                    firstLine.put(name, ours ? "" : number + ": " + raw.strip());
                }
            }
            if (ours && !raw.strip().equals(line(address, hosts))) {
                stale = true;
            }
        }
        List<String> unmapped = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (String host : hosts) {
            String mappedTo = firstAddress.get(host);
            if (mappedTo == null) {
                unmapped.add(host);
            } else if (!mappedTo.equals(address) && !firstLine.get(host).isEmpty() && !conflicts.contains(firstLine.get(host))) {
                conflicts.add(firstLine.get(host));
            } else if (!mappedTo.equals(address)) {
                stale = true;
            }
        }
        return new Inspection(unmapped, conflicts, stale);
    }

    /** What {@link #write} did. */
    public enum Outcome {
        /** Every host already resolved to the address: the file was not touched. */
        ALREADY,
        /** The line was added or mkplat's old line replaced; the old file is in the backup. */
        WRITTEN
    }

    /** The backup {@link #write} makes before changing {@code file}. */
    public static Path backupOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".mkplat.bak");
    }

    /**
     * Makes every host resolve to {@code address}: nothing when they already do; otherwise copies the
     * file to {@link #backupOf}, drops mkplat's old line and appends the new one. The file is
     * rewritten in place, not replaced, because {@code /etc/hosts} is often a bind mount (containers,
     * WSL) that a rename cannot replace.
     *
     * @throws MkplatException exit 1 when a line mkplat did not write maps a host elsewhere, or the
     *                         file cannot be written (with the sudo command as the hint)
     */
    public static Outcome write(Path file, String address, List<String> hosts) {
        String content = read(file);
        Inspection inspection = inspect(content, address, hosts);
        if (inspection.mapped()) {
            return Outcome.ALREADY;
        }
        if (!inspection.conflicts().isEmpty()) {
            throw MkplatException.failed(file + " already maps platform hosts elsewhere (line " + String.join("; line ", inspection.conflicts()) + ")",
                    "edit or remove those lines, then run mkplat init --write-hosts again");
        }
        StringBuilder updated = new StringBuilder();
        content.lines().filter(raw -> !raw.strip().endsWith(MARKER)).forEach(raw -> updated.append(raw).append('\n'));
        updated.append(line(address, hosts)).append('\n');
        try {
            if (Files.exists(file)) {
                Files.copy(file, backupOf(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            Files.writeString(file, updated, StandardCharsets.UTF_8);
            return Outcome.WRITTEN;
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot write " + file + ": " + AtomicFileWriter.reason(e),
                    "run it with the rights to (sudo), or add the line yourself: echo '" + line(address, hosts) + "' | sudo tee -a " + file, e);
        }
    }

    /** The file's text; a missing file reads as empty. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot read " + file + ": " + AtomicFileWriter.reason(e), null, e);
        }
    }
}
