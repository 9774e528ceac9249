package dev.mkplat.preflight;

import com.google.common.net.InetAddresses;
import dev.mkplat.core.AtomicFileWriter;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hosts-file line that sends the platform's names to the ingress, e.g.
 * {@code 192.168.49.2 api.test auth.test images.test monitoring.test # mkplat}. Reading says whether
 * every name already resolves there; writing adds or replaces mkplat's own line after a backup, and
 * refuses to touch lines someone else wrote. mkplat's own line is exactly what {@link #line} makes
 * for these hosts and some IP address: another line that merely ends in the marker is left alone.
 * The address must be an IP literal, because it comes from the cluster (a LoadBalancer's status) and
 * ends up in a file every program on the machine trusts.
 */
public final class HostsFile {
    /** Marks the line mkplat manages, so that it can be replaced rather than duplicated. */
    public static final String MARKER = "# mkplat";

    private HostsFile() {}

    /** The hosts file of this operating system. */
    public static Path system() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                ? Path.of(
                        System.getenv().getOrDefault("SystemRoot", "C:\\Windows"),
                        "System32",
                        "drivers",
                        "etc",
                        "hosts")
                : Path.of("/etc/hosts");
    }

    /** The line to add: the address, every host, the marker. */
    public static String line(String address, List<String> hosts) {
        return address + " " + String.join(" ", hosts) + " " + MARKER;
    }

    /** Whether {@code address} is an IPv4 or IPv6 address literal (checked without any DNS lookup). */
    public static boolean isIpAddress(String address) {
        return address != null && InetAddresses.isInetAddress(address);
    }

    /** Whether {@code raw} is a line mkplat wrote for these hosts: {@link #line} of some IP address, nothing more. */
    static boolean writtenByMkplat(String raw, List<String> hosts) {
        String stripped = raw.strip();
        String suffix = " " + String.join(" ", hosts) + " " + MARKER;
        return stripped.endsWith(suffix) && isIpAddress(stripped.substring(0, stripped.length() - suffix.length()));
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
            boolean ours = writtenByMkplat(raw, hosts);
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
            } else if (!mappedTo.equals(address)
                    && !firstLine.get(host).isEmpty()
                    && !conflicts.contains(firstLine.get(host))) {
                conflicts.add(firstLine.get(host));
            } else if (!mappedTo.equals(address)) {
                stale = true;
            }
        }
        return new Inspection(unmapped, conflicts, stale);
    }

    /** What {@link #write} did. */
    public enum Edit {
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
     * file to {@link #backupOf}, drops mkplat's old line and appends the new one. The new content is
     * written to a temporary file next to it, with the file's owner, group and mode, synced, and
     * renamed over it, so that a resolver never reads half a file and a crash leaves the old one.
     * Only where a rename cannot replace the file, because {@code /etc/hosts} is a bind mount
     * (containers, WSL), is it rewritten in place.
     *
     * @throws MkplatException exit 1 when the address is not an IP address, a line mkplat did not
     *                         write maps a host elsewhere, or the file cannot be written (with the
     *                         sudo command as the hint)
     */
    public static Edit write(Path file, String address, List<String> hosts) {
        if (!isIpAddress(address)) {
            throw MkplatException.failed(
                    "the ingress address '" + address.replaceAll("\\p{Cntrl}", "?") + "' is not an IP address; " + file
                            + " was not changed",
                    "check the ingress-nginx Service's LoadBalancer status");
        }
        String content = read(file);
        Inspection inspection = inspect(content, address, hosts);
        if (inspection.mapped()) {
            return Edit.ALREADY;
        }
        if (!inspection.conflicts().isEmpty()) {
            throw MkplatException.failed(
                    file + " already maps platform hosts elsewhere (line "
                            + String.join("; line ", inspection.conflicts()) + ")",
                    "edit or remove those lines, then run mkplat init --write-hosts again");
        }
        StringBuilder updated = new StringBuilder();
        content.lines()
                .filter(raw -> !writtenByMkplat(raw, hosts))
                .forEach(raw -> updated.append(raw).append('\n'));
        updated.append(line(address, hosts)).append('\n');
        try {
            if (Files.exists(file)) {
                Files.copy(
                        file, backupOf(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
            replace(file, updated.toString().getBytes(StandardCharsets.UTF_8));
            return Edit.WRITTEN;
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot write " + file + ": " + AtomicFileWriter.reason(e),
                    "run it with the rights to (sudo), or add the line yourself: echo '" + line(address, hosts)
                            + "' | sudo tee -a " + file,
                    e);
        }
    }

    /** Writes a synced temporary file with the target's owner, group and mode, then renames it over the target. */
    private static void replace(Path file, byte[] bytes) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".mkplat.tmp");
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
            if (view != null && Files.exists(file)) {
                PosixFileAttributes existing =
                        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                view.setPermissions(existing.permissions());
                if (!view.getOwner().equals(existing.owner())
                        || !view.readAttributes().group().equals(existing.group())) {
                    view.setGroup(existing.group());
                    view.setOwner(
                            existing.owner()); // only root may give a file away; the rename would need root as well
                }
            } else if (view != null) {
                view.setPermissions(AtomicFileWriter.PUBLIC);
            }
            writeSynced(temporary, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileSystemException busy) {
                if (busy.getReason() == null || !busy.getReason().contains("busy")) {
                    throw busy;
                }
                // A bind mount (a container's /etc/hosts) cannot be renamed over: write it in place.
                writeSynced(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void writeSynced(Path path, byte[] bytes, StandardOpenOption... options) throws IOException {
        try (FileChannel channel = FileChannel.open(path, options)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** The file's text; a missing file reads as empty. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED, "cannot read " + file + ": " + AtomicFileWriter.reason(e), null, e);
        }
    }
}
