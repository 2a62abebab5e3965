package io.dharma.ratelimit;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An address range such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a range of one.
 *
 * @param network network address bytes (4 or 16)
 * @param bits    prefix length
 */
record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
        String value = text.trim();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        InetAddress parsed = Addresses.parse(address)
                .orElseThrow(() -> new RateLimitConfigException("rate-limit.trusted-proxies: not an IP range: " + text));
        byte[] bytes = parsed.getAddress();
        int bits;
        try {
            bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new RateLimitConfigException("rate-limit.trusted-proxies: bad prefix length in " + text);
        }
        if (bits < 0 || bits > bytes.length * 8) {
            throw new RateLimitConfigException("rate-limit.trusted-proxies: bad prefix length in " + text);
        }
        return new Cidr(Addresses.mask(bytes, bits), bits);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(Addresses.mask(bytes, bits), network);
    }
}
