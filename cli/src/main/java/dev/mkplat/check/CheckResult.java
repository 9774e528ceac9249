package dev.mkplat.check;

import java.time.Duration;
import java.util.Optional;

/**
 * A check after it ran (or was skipped).
 *
 * @param check   the check
 * @param status  passed, warned, failed or skipped
 * @param detail  what was found, or why it was skipped
 * @param hint    the hint to show: the outcome's own, else the check's; absent when it passed without advice
 * @param took    how long the function ran
 */
public record CheckResult(Check check, Status status, String detail, Optional<String> hint, Duration took) {
    /** The state of one check, with the symbol printed for it. */
    public enum Status {
        PASSED("✓"),
        WARNED("‼"),
        FAILED("×"),
        SKIPPED("-");

        private final String symbol;

        Status(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }
}
