package io.dharma.ratelimit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Client address resolution, trusted proxies and IPv6 prefix keying, without a server: tables of headers a client can
 * send through a proxy, and properties that hold for any left part a client controls.
 */
class ClientIpTest {
    private static final List<String> TRUSTED = List.of("10.0.0.0/8", "2001:db8:ffff::/48");
    private final ClientIp xff = new ClientIp(TRUSTED, ClientAddressHeader.X_FORWARDED_FOR);
    private final ClientIp forwarded = new ClientIp(TRUSTED, ClientAddressHeader.FORWARDED);

    @Test
    void untrustedPeerIsTheClientWhateverItForwards() {
        assertThat(resolve(xff, "203.0.113.5", "198.51.100.2"), is("203.0.113.5"));
        assertThat(resolve(forwarded, "203.0.113.5", "for=198.51.100.1"), is("203.0.113.5"));
    }

    @Test
    void xForwardedForTable() {
        String[][] table = {
            // header lines (| separates lines)                  client
            {"1.1.1.1, 198.51.100.7|10.1.2.3",                    "198.51.100.7"},
            {"10.0.0.3, 10.0.0.2",                                "10.0.0.3"},      // all trusted: the left-most
            {"1.1.1.1, unknown, 10.0.0.2",                        "10.0.0.2"},      // unparsable: the proxy that reported it
            {"example.com",                                       "10.0.0.1"},      // never looked up
            {"",                                                  "10.0.0.1"},
            {" , ,198.51.100.8,, ",                               "198.51.100.8"},
            {"198.51.100.9:8443",                                 "198.51.100.9"},
            {"[2001:db8::17]:4711",                               "2001:db8:0:0:0:0:0:17"},
            {"2001:db8::18",                                      "2001:db8:0:0:0:0:0:18"},
            {"fe80::1%eth0",                                      "fe80:0:0:0:0:0:0:1"},
            {"::ffff:192.0.2.1",                                  "192.0.2.1"},
            {"2001:db8:ffff::1, 198.51.100.10, 2001:db8:ffff::2", "198.51.100.10"},  // trusted IPv6 proxies skipped
            {"1.2.3.4, 999.1.1.1",                                "10.0.0.1"},
            {"1.2.3.4, 198.51.100.11\r\n",                        "198.51.100.11"},
            {"1.2.3.4|5.6.7.8|198.51.100.12",                     "198.51.100.12"},  // the last line is the proxy's
            {"for=198.51.100.13",                                 "10.0.0.1"},       // Forwarded syntax is not an address
        };
        for (String[] row : table) {
            assertThat(row[0], resolve(xff, "10.0.0.1", row[0].split("\\|", -1)), is(row[1]));
        }
    }

    @Test
    void forwardedTable() {
        String[][] table = {
            {"for=1.1.1.1, for=\"[2001:db8::17]:4711\";proto=https, for=10.0.0.9", "2001:db8:0:0:0:0:0:17"},
            {"for=198.51.100.7;proto=https;by=10.0.0.1",                          "198.51.100.7"},
            {"For=198.51.100.8",                                                  "198.51.100.8"},
            {"for=1.1.1.1, for=_hidden, for=10.0.0.2",                            "10.0.0.2"},   // obfuscated node
            {"for=1.1.1.1, for=unknown",                                          "10.0.0.1"},
            {"proto=https",                                                       "10.0.0.1"},   // no for=
            {"198.51.100.9",                                                      "10.0.0.1"},   // X-Forwarded-For syntax
            {"for=\"198.51.100.10:1234\"",                                        "198.51.100.10"},
            {"for=1.1.1.1|for=198.51.100.11",                                     "198.51.100.11"},
        };
        for (String[] row : table) {
            assertThat(row[0], resolve(forwarded, "10.0.0.1", row[0].split("\\|", -1)), is(row[1]));
        }
    }

    @Test
    void aHeaderOfTheOtherKindIsIgnored() {
        // the proxy appends the client's real address to the configured header; whatever else the client sends is not read
        InetAddress peer = Addresses.parse("10.0.0.1").orElseThrow();
        assertThat(xff.header().headerName().defaultCase(), is("X-Forwarded-For"));
        assertThat(forwarded.header().headerName().defaultCase(), is("Forwarded"));
        assertThat(xff.resolve(peer, List.of()).getHostAddress(), is("10.0.0.1"));
        assertThat(ClientAddressHeader.parse("forwarded"), is(ClientAddressHeader.FORWARDED));
        assertThat(ClientAddressHeader.parse("X-FORWARDED-FOR"), is(ClientAddressHeader.X_FORWARDED_FOR));
        assertThrows(RateLimitException.class, () -> ClientAddressHeader.parse("X-Real-IP"));
    }

    @Test
    void whateverAClientPutsLeftOfTheProxyTheClientIsTheAddressTheProxyAppended() {
        Random random = new Random(12);
        for (int run = 0; run < 2_000; run++) {
            String real = "198.51." + random.nextInt(256) + "." + random.nextInt(256);
            String spoofed = junk(random);
            String proxies = random.nextBoolean() ? "" : ", 10." + random.nextInt(256) + ".0.1";
            // the proxy appends "<real>" to what the client sent, on the same line or as a line of its own
            List<String> xffLines = random.nextBoolean() ? List.of(spoofed + ", " + real + proxies)
                    : List.of(spoofed, real + proxies);
            assertThat(spoofed, resolve(xff, "10.0.0.1", xffLines.toArray(String[]::new)), is(real));
            String forwardedProxies = proxies.isEmpty() ? "" : ", for=" + proxies.substring(2);
            assertThat(spoofed, resolve(forwarded, "10.0.0.1", spoofed + ", for=" + real + ";proto=https" + forwardedProxies),
                       is(real));
        }
    }

    @Test
    void tooManyHopsEndTheWalkAtTheLastTrustedOne() {
        List<String> hops = new ArrayList<>();
        hops.add("198.51.100.1");
        for (int i = 0; i < 10_000; i++) {
            hops.add("10.0." + (i / 256 % 256) + "." + (i % 256));
        }
        String header = String.join(",", hops);
        // only MAX_HOPS hops are looked at: the answer is a trusted address, never the left-most one a client chose
        String client = resolve(xff, "10.0.0.1", header);
        assertThat(client.startsWith("10."), is(true));
        assertThat(resolve(xff, "10.0.0.1", ",".repeat(100_000) + "198.51.100.2"), is("198.51.100.2"));
        assertThat(resolve(xff, "10.0.0.1", "198.51.100.2" + ",".repeat(100_000)), is("10.0.0.1"));
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
        assertThrows(RateLimitException.class, () -> new ClientIp(List.of("10.0.0.0/33"), ClientAddressHeader.FORWARDED));
        assertThrows(RateLimitException.class, () -> new ClientIp(List.of("proxy.example.com"),
                                                                   ClientAddressHeader.X_FORWARDED_FOR));
    }

    /** What a client may send: addresses (trusted ones too), garbage, quotes, separators, long runs. */
    private static String junk(Random random) {
        String[] parts = {"1.2.3.4", "10.0.0.7", "2001:db8:ffff::5", "[::1]:80", "unknown", "_hidden", "for=9.9.9.9",
            "\"", ";", "=", " ", "", "999.999.1.1", "::", "localhost", "a,b", "for=\"[2001:db8::1]\"", "%", "\t"};
        StringBuilder junk = new StringBuilder();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            junk.append(parts[random.nextInt(parts.length)]);
            if (random.nextBoolean()) {
                junk.append(random.nextBoolean() ? "," : ", ");
            }
        }
        return junk.toString();
    }

    private static String resolve(ClientIp resolver, String peer, String... values) {
        InetAddress address = Addresses.parse(peer).orElseThrow();
        return resolver.resolve(address, List.of(values)).getHostAddress();
    }
}
