package io.dharma.ratelimit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who the client is: the socket peer, unless the peer is a trusted proxy; then the {@code Forwarded} header (else
 * {@code X-Forwarded-For}) is read from the right, skipping trusted hops, and the first untrusted address is the
 * client. An unparsable hop ends the walk at the last trusted address (it is the one that reported it). If every hop
 * is trusted, the left-most is the client.
 */
final class ClientIp {
    private final List<Cidr> trusted;

    ClientIp(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
    }

    /**
     * Resolve the client address.
     *
     * @param peer          socket peer
     * @param forwarded     values of {@code Forwarded} headers, in order
     * @param xForwardedFor values of {@code X-Forwarded-For} headers, in order
     * @return client address
     */
    InetAddress resolve(InetAddress peer, List<String> forwarded, List<String> xForwardedFor) {
        InetAddress client = Addresses.normalize(peer);
        if (!trusted(client)) {
            return client;
        }
        List<String> hops = !forwarded.isEmpty() ? forwardedFor(forwarded) : split(xForwardedFor);
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = Addresses.parse(hops.get(i));
            if (hop.isEmpty()) {
                return client;
            }
            client = hop.get();
            if (!trusted(client)) {
                return client;
            }
        }
        return client;
    }

    boolean trusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        return hops;
    }

    /** The {@code for=} parameter of every element of RFC 7239 {@code Forwarded} headers ("" when an element has none). */
    private static List<String> forwardedFor(List<String> values) {
        List<String> hops = new ArrayList<>();
        for (String value : values) {
            for (String element : value.split(",")) {
                String found = "";
                for (String pair : element.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                        found = pair.substring(eq + 1).trim();
                    }
                }
                hops.add(found);
            }
        }
        return hops;
    }
}
