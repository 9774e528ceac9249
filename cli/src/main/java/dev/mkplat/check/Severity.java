package dev.mkplat.check;

/** What a failed check means for the command. */
public enum Severity {
    /** The platform cannot work: later checks are skipped and the command exits 3. */
    FATAL,
    /** Something will be missing or degraded (no autoscaling, no hosts entry), but deploying works. */
    WARNING
}
