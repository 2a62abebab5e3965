package io.dharma.ratelimit;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP literals without DNS: only text that is syntactically an IPv4 or IPv6 literal reaches
 * {@link InetAddress#getByName(String)}, which then does no lookup. IPv4-mapped IPv6 addresses become IPv4.
 */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private Addresses() {
    }

    /**
     * Parse an address as it appears in {@code X-Forwarded-For} or {@code Forwarded: for=}: optional quotes, optional
     * brackets, optional port, optional IPv6 zone.
     */
    static Optional<InetAddress> parse(String raw) {
        String value = raw.trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1).trim();
        }
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            value = value.substring(1, close);
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':') && value.contains(".")) {
            value = value.substring(0, value.indexOf(':'));   // IPv4 with port
        }
        int zone = value.indexOf('%');
        if (zone > 0) {
            value = value.substring(0, zone);
        }
        boolean literal = IPV4.matcher(value).matches() ? octets(value)
                : value.contains(":") && IPV6.matcher(value).matches();
        if (!literal) {
            return Optional.empty();
        }
        try {
            return Optional.of(normalize(InetAddress.getByName(value)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Every part of a dotted quad is at most 255 (else the JDK would take the text for a host name and look it up). */
    private static boolean octets(String dotted) {
        for (String part : dotted.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }

    static byte[] mask(byte[] bytes, int bits) {
        byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            masked[i] = (byte) (masked[i] & (0xff << (8 - keep)));
        }
        return masked;
    }

    /** Key material for a client address: IPv4 as is, IPv6 reduced to its prefix. */
    static String key(InetAddress address, int ipv6Prefix) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        try {
            return InetAddress.getByAddress(mask(address.getAddress(), ipv6Prefix)).getHostAddress() + "/" + ipv6Prefix;
        } catch (UnknownHostException e) {
            return address.getHostAddress();
        }
    }
}
