package dev.mkplat.auth.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    @Test
    void takesTheLastForwardedEntryBecauseOnlyTheProxyWroteIt() {
        assertThat(ClientAddress.lastForwarded(List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        // The client sent "1.1.1.1" itself; the ingress appended the address it really saw.
        assertThat(ClientAddress.lastForwarded(List.of("1.1.1.1, 203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.lastForwarded(List.of("1.1.1.1", "10.0.0.1,203.0.113.7 ")))
                .isEqualTo("203.0.113.7");
        assertThat(ClientAddress.lastForwarded(List.of("2001:DB8::1"))).isEqualTo("2001:db8::1");
    }

    @Test
    void ignoresForwardedValuesThatAreNotAddresses() {
        assertThat(ClientAddress.lastForwarded(List.of())).isNull();
        assertThat(ClientAddress.lastForwarded(List.of(""))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("203.0.113.7, evil.example.com")))
                .isNull();
        assertThat(ClientAddress.lastForwarded(List.of("1.2.3.4, unknown"))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("1.2.3.4 x"))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("1.2.3.4\r\nX-Evil: 1"))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("a".repeat(100)))).isNull();
    }

    @Test
    void thePeerIsItsIpLiteral() {
        assertThat(ClientAddress.peer(new InetSocketAddress("127.0.0.1", 4711))).isEqualTo("127.0.0.1");
        assertThat(ClientAddress.peer(InetSocketAddress.createUnresolved("somewhere", 1)))
                .isEqualTo("somewhere");
    }

    @Test
    void anIpv6ClientCountsByItsSlash64BecauseItOwnsAllOfIt() {
        assertThat(ClientAddress.countedAs("2001:db8:1:2:aaaa::1")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.countedAs("2001:db8:1:2:ffff:ffff:ffff:fffe")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.countedAs("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
        assertThat(ClientAddress.peer(new InetSocketAddress("::1", 1))).isEqualTo("0:0:0:0::/64");
        // IPv4, also when mapped into IPv6, stays one address
        assertThat(ClientAddress.countedAs("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.countedAs("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.peer(new InetSocketAddress("203.0.113.7", 1))).isEqualTo("203.0.113.7");
        // what is not an address stays as it was (the forwarded check already refused anything else)
        assertThat(ClientAddress.countedAs("1:2:3")).isEqualTo("1:2:3");
    }
}
