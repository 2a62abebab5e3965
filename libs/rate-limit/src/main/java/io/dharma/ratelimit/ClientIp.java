package io.dharma.ratelimit;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who the client is: the socket peer, unless the peer is a trusted proxy; then the one configured header
 * ({@link ClientAddressHeader}: {@code X-Forwarded-For} or {@code Forwarded}) is read from the right, skipping trusted
 * hops, and the first untrusted address is the client. The header of the other kind is never read, so a client cannot
 * send one the proxy does not overwrite. An unparsable or obfuscated hop ({@code unknown}, {@code _hidden}) ends the
 * walk at the last trusted address (the proxy that reported it). If every hop is trusted, the left-most is the client.
 * <p>
 * Work is bounded whatever the client sends: the header is scanned from its end, one hop at a time, and at most
 * {@link #MAX_HOPS} hops are looked at; the left part a client may have filled is never split or parsed.
 */
final class ClientIp {
    /** Most hops examined; a deployment with more trusted proxies in a row than this is not supported. */
    static final int MAX_HOPS = 16;

    private final List<Cidr> trusted;
    private final ClientAddressHeader header;

    ClientIp(List<String> trustedProxies, ClientAddressHeader header) {
        this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
        this.header = header;
    }

    ClientAddressHeader header() {
        return header;
    }

    /**
     * Resolve the client address.
     *
     * @param peer   socket peer
     * @param values the values of the configured header, in the order received (one per header line)
     * @return client address
     */
    InetAddress resolve(InetAddress peer, List<String> values) {
        InetAddress client = Addresses.normalize(peer);
        if (!trusted(client)) {
            return client;
        }
        int hops = 0;
        for (int line = values.size() - 1; line >= 0; line--) {
            String value = values.get(line);
            int end = value.length();
            while (end >= 0) {
                int start = value.lastIndexOf(',', end - 1);
                String element = value.substring(start + 1, Math.max(start + 1, end));
                end = start;
                if (++hops > MAX_HOPS) {
                    return client;
                }
                if (element.isBlank()) {
                    continue;
                }
                Optional<InetAddress> hop = Addresses.parse(header.address(element));
                if (hop.isEmpty()) {
                    return client;
                }
                client = hop.get();
                if (!trusted(client)) {
                    return client;
                }
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
}
