package dev.mkplat.auth.sessions;

import dev.mkplat.service.metrics.ServiceMetrics;
import io.prometheus.metrics.core.metrics.Counter;

/** The login counters the dashboards are built on. Registered once per service instance. */
public final class LoginMetrics {
    /** Login attempts by outcome: {@code success}, {@code failure} (401) or {@code locked} (429). */
    public static final String LOGINS_TOTAL = "auth_logins_total";
    /** Lockouts started, by what was locked: {@code user} or {@code ip}. */
    public static final String LOCKOUTS_TOTAL = "auth_lockouts_total";

    private final Counter logins;
    private final Counter lockouts;

    public LoginMetrics(ServiceMetrics metrics) {
        logins = metrics.counter(LOGINS_TOTAL, "Login attempts by result: success, failure or locked", "result");
        lockouts = metrics.counter(
                LOCKOUTS_TOTAL, "Lockouts started after too many failed logins, by scope: user or ip", "scope");
        // Present at zero from the start, so that rate() and alerts work before the first event.
        for (String result : new String[] {"success", "failure", "locked"}) {
            logins.initLabelValues(result);
        }
        lockouts.initLabelValues("user");
        lockouts.initLabelValues("ip");
    }

    void success() {
        logins.labelValues("success").inc();
    }

    void failure() {
        logins.labelValues("failure").inc();
    }

    void locked(LoginThrottle.Admission admission) {
        logins.labelValues("locked").inc();
        if (admission.usernameLocked()) {
            lockouts.labelValues("user").inc();
        }
        if (admission.addressLocked()) {
            lockouts.labelValues("ip").inc();
        }
    }
}
