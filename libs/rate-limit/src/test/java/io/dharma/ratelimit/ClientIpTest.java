package io.dharma.ratelimit;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Client address resolution, trusted proxies and IPv6 prefix keying, without a server. */
class ClientIpTest {
    private final ClientIp resolver = new ClientIp(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));

    @Test
    void untrustedPeerIsTheClientWhateverItForwards() {
        assertThat(resolve("203.0.113.5", List.of("for=198.51.100.1"), List.of("198.51.100.2")), is("203.0.113.5"));
    }

    @Test
    void trustedPeerRightMostUntrustedHopWins() {
        assertThat(resolve("10.0.0.1", List.of(), List.of("1.1.1.1, 198.51.100.7", "10.1.2.3")), is("198.51.100.7"));
        assertThat(resolve("10.0.0.1", List.of("for=1.1.1.1, for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.9"),
                           List.of("9.9.9.9")), is("2001:db8:0:0:0:0:0:17"));
        assertThat("all hops trusted: the left-most", resolve("10.0.0.1", List.of(), List.of("10.0.0.3, 10.0.0.2")),
                   is("10.0.0.3"));
        assertThat("an unparsable hop: the proxy that reported it", resolve("10.0.0.1", List.of(),
                                                                             List.of("1.1.1.1, unknown, 10.0.0.2")),
                   is("10.0.0.2"));
        assertThat("no header: the peer", resolve("10.0.0.1", List.of(), List.of()), is("10.0.0.1"));
        assertThat("host names are never looked up", resolve("10.0.0.1", List.of(), List.of("example.com")),
                   is("10.0.0.1"));
    }

    @Test
    void ipv6KeyIsThePrefix() throws Exception {
        String a = Addresses.key(InetAddress.getByName("2001:db8:1:2:aaaa::1"), 64);
        String b = Addresses.key(InetAddress.getByName("2001:db8:1:2:bbbb::2"), 64);
        String c = Addresses.key(InetAddress.getByName("2001:db8:1:3::1"), 64);
        assertThat(a, is("2001:db8:1:2:0:0:0:0/64"));
        assertThat(b, is(a));
        assertThat(c.equals(a), is(false));
        assertThat(Addresses.key(InetAddress.getByName("2001:db8:1:3::1"), 48), is("2001:db8:1:0:0:0:0:0/48"));
        assertThat("IPv4-mapped addresses are IPv4", Addresses.key(Addresses.parse("::ffff:192.0.2.1").orElseThrow(), 64),
                   is("192.0.2.1"));
    }

    @Test
    void invalidTrustedProxyIsRejected() {
        assertThrows(RateLimitException.class, () -> new ClientIp(List.of("10.0.0.0/33")));
        assertThrows(RateLimitException.class, () -> new ClientIp(List.of("proxy.example.com")));
    }

    private String resolve(String peer, List<String> forwarded, List<String> xForwardedFor) {
        InetAddress address = Addresses.parse(peer).orElseThrow();
        return resolver.resolve(address, forwarded, xForwardedFor).getHostAddress();
    }
}
