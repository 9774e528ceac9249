package dev.mkplat.core;

import com.google.common.net.InternetDomainName;
import java.util.regex.Pattern;

/** DNS names as mkplat accepts them for its domain and hosts: lowercase, RFC 1123, no wildcard, no trailing dot. */
public final class DnsNames {
    /** A DNS label: lowercase letters, digits and inner dashes, at most 63 characters (RFC 1123). */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private DnsNames() {}

    /** Whether {@code name} is a lowercase DNS name (RFC 1123), without a wildcard or trailing dot. */
    public static boolean isDnsName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code name} is a public suffix ({@code com}, {@code co.uk}, {@code github.io}): a name
     * under which anyone can register their own, so that a CA constrained to it would cover other
     * people's sites. Judged by the public suffix list that Guava carries (its ICANN and private
     * sections), not by a list of our own. Names that are not on it, such as {@code test},
     * {@code localhost} and {@code internal}, are not public suffixes.
     */
    public static boolean isPublicSuffix(String name) {
        return InternetDomainName.isValid(name) && InternetDomainName.from(name).isPublicSuffix();
    }
}
