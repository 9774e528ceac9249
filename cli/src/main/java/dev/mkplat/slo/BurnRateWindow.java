package dev.mkplat.slo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Locale;

/**
 * The four alerts of the SRE workbook's multi-window, multi-burn-rate method (chapter 5, "Alerting
 * on SLOs"), as Sloth and Pyrra generate them. Each alert fires when the error ratio over the
 * long window and over the short one both exceed {@code factor} times the error budget: the long
 * window makes it significant, the short one makes it stop soon after the errors stop.
 *
 * <p>The factor is the burn rate that spends {@code budgetSpent} of the whole window's budget within
 * the long window: for a 30-day window that is the workbook's 14.4, 6, 3 and 1; for 28 days 13.44,
 * 5.6, 2.8 and 0.933 (Sloth computes its 28-day windows the same way).
 */
public enum BurnRateWindow {
    /** 2% of the budget in 1 hour: page. */
    PAGE_1H(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), new BigDecimal("0.02")),
    /** 5% of the budget in 6 hours: page. */
    PAGE_6H(Severity.PAGE, Duration.ofHours(6), Duration.ofMinutes(30), new BigDecimal("0.05")),
    /** 10% of the budget in 1 day: ticket. */
    TICKET_1D(Severity.TICKET, Duration.ofDays(1), Duration.ofHours(2), new BigDecimal("0.10")),
    /** 10% of the budget in 3 days: ticket. */
    TICKET_3D(Severity.TICKET, Duration.ofDays(3), Duration.ofHours(6), new BigDecimal("0.10"));

    /** Who is told: a page wakes someone, a ticket waits for working hours. */
    public enum Severity {
        PAGE,
        TICKET;

        /** The value of the alert's {@code severity} label. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Severity severity;
    private final Duration longWindow;
    private final Duration shortWindow;
    private final BigDecimal budgetSpent;

    BurnRateWindow(Severity severity, Duration longWindow, Duration shortWindow, BigDecimal budgetSpent) {
        this.severity = severity;
        this.longWindow = longWindow;
        this.shortWindow = shortWindow;
        this.budgetSpent = budgetSpent;
    }

    public Severity severity() {
        return severity;
    }

    public Duration longWindow() {
        return longWindow;
    }

    public Duration shortWindow() {
        return shortWindow;
    }

    /** The share of the whole window's error budget this alert lets be spent within its long window. */
    public BigDecimal budgetSpent() {
        return budgetSpent;
    }

    /** The burn rate this alert fires above, for an objective over {@code sloWindow} (four significant digits). */
    public BigDecimal factor(Duration sloWindow) {
        BigDecimal ratio = BigDecimal.valueOf(sloWindow.toMinutes())
                .divide(BigDecimal.valueOf(longWindow.toMinutes()), MathContext.DECIMAL64);
        return budgetSpent.multiply(ratio).round(new MathContext(4)).stripTrailingZeros();
    }
}
