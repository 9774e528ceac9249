package dev.mkplat.auth.sessions;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {
    @Test
    void takesTheLastForwardedEntryBecauseOnlyTheProxyWroteIt() {
        assertThat(ClientAddress.lastForwarded(List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        // The client sent "1.1.1.1" itself; the ingress appended the address it really saw.
        assertThat(ClientAddress.lastForwarded(List.of("1.1.1.1, 203.0.113.7"))).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.lastForwarded(List.of("1.1.1.1", "10.0.0.1,203.0.113.7 "))).isEqualTo("203.0.113.7");
        assertThat(ClientAddress.lastForwarded(List.of("2001:DB8::1"))).isEqualTo("2001:db8::1");
    }

    @Test
    void ignoresForwardedValuesThatAreNotAddresses() {
        assertThat(ClientAddress.lastForwarded(List.of())).isNull();
        assertThat(ClientAddress.lastForwarded(List.of(""))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("203.0.113.7, evil.example.com"))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("1.2.3.4, unknown"))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("1.2.3.4 x"))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("1.2.3.4\r\nX-Evil: 1"))).isNull();
        assertThat(ClientAddress.lastForwarded(List.of("a".repeat(100)))).isNull();
    }

    @Test
    void thePeerIsItsIpLiteral() {
        assertThat(ClientAddress.peer(new InetSocketAddress("127.0.0.1", 4711))).isEqualTo("127.0.0.1");
        assertThat(ClientAddress.peer(InetSocketAddress.createUnresolved("somewhere", 1))).isEqualTo("somewhere");
    }
}
