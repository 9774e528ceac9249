package dev.mkplat.auth.sessions;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The address of the client of a request, as the per-address login limit counts it.
 *
 * <p>By default it is the TCP peer. Behind the ingress every peer is the ingress controller, so
 * all clients would share one count and one attacker could lock everyone out; with
 * {@code trust.forwarded} ({@code TRUST_FORWARDED=true}) the address is taken from
 * {@code X-Forwarded-For} instead. Only its <em>last</em> entry is used: that is the one the
 * ingress itself wrote (it appends the peer it saw), while everything before it is whatever the
 * client chose to send. The switch must stay off whenever clients can reach the service without
 * going through exactly one trusted proxy, or they could pick their own address freely.
 *
 * <p>An IPv6 client counts by its /64 network, not its full address: one subscriber usually gets a
 * whole /64 and can use any address in it, so a per-address count would give an attacker 2^64
 * fresh addresses. IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
public final class ClientAddress {
    private static final HeaderName FORWARDED_FOR = HeaderNames.X_FORWARDED_FOR;
    // An IPv4 or IPv6 literal: only these characters, so the value is safe as a Redis key part and
    // is never something a resolver would look up.
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientAddress() {}

    /** The client's address of {@code req}; {@code trustForwarded} says whether a proxy's header counts. */
    public static String of(ServerRequest req, boolean trustForwarded) {
        if (trustForwarded && req.headers().contains(FORWARDED_FOR)) {
            String forwarded = lastForwarded(req.headers().all(FORWARDED_FOR, List::of));
            if (forwarded != null) {
                return countedAs(forwarded);
            }
        }
        return peer(req.remotePeer().address());
    }

    /**
     * What an address literal counts as: IPv4 as it is, IPv6 as its /64 network
     * ({@code 2001:db8:1:2::/64}). Only literals with a colon are parsed: Java parses those as IPv6
     * without ever asking a resolver, which it might do for anything else.
     */
    static String countedAs(String literal) {
        if (literal.indexOf(':') < 0) {
            return literal;
        }
        try {
            return countedAs(InetAddress.getByName(literal));
        } catch (UnknownHostException notAnAddress) {
            return literal;
        }
    }

    private static String countedAs(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return ip.getHostAddress();
        }
        byte[] network = Arrays.copyOf(ip.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        try {
            String prefix = InetAddress.getByAddress(network).getHostAddress();
            return compress(prefix) + "/64";
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The first four groups of the JDK's uncompressed IPv6 text, e.g. "2001:db8:1:2" + "::". */
    private static String compress(String full) {
        String[] groups = full.split(":");
        return groups[0] + ":" + groups[1] + ":" + groups[2] + ":" + groups[3] + "::";
    }

    /** The last entry of the {@code X-Forwarded-For} values when it is an IP literal, else null. */
    static String lastForwarded(List<String> headerValues) {
        if (headerValues.isEmpty()) {
            return null;
        }
        String last = headerValues.getLast();
        int comma = last.lastIndexOf(',');
        String candidate = (comma < 0 ? last : last.substring(comma + 1)).trim();
        return ADDRESS.matcher(candidate).matches() ? candidate.toLowerCase(Locale.ROOT) : null;
    }

    static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            return ip != null ? countedAs(ip) : inet.getHostString();
        }
        return String.valueOf(address);
    }
}
