package io.dharma.ratelimit;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/**
 * The one header a trusted proxy reports the client address in ({@code rate-limit.client-address-header}). Only this
 * header is read; one of the other kind is ignored, because a proxy that sets one usually passes the other through
 * from the client unchanged.
 */
public enum ClientAddressHeader {
    /** {@code X-Forwarded-For: client, proxy1, proxy2} (the default: what most ingresses and load balancers send). */
    X_FORWARDED_FOR(HeaderNames.X_FORWARDED_FOR),
    /** RFC 7239 {@code Forwarded: for=client;proto=https, for=proxy1}: the {@code for} parameter of each element. */
    FORWARDED(HeaderNames.FORWARDED);

    private final HeaderName name;

    ClientAddressHeader(HeaderName name) {
        this.name = name;
    }

    /**
     * The header's name.
     *
     * @return header name
     */
    public HeaderName headerName() {
        return name;
    }

    /**
     * Parse a config value: the header name, case-insensitive ({@code X-Forwarded-For}, {@code Forwarded}).
     *
     * @param value config value
     * @return the header
     * @throws RateLimitException for any other value
     */
    public static ClientAddressHeader parse(String value) {
        for (ClientAddressHeader header : values()) {
            if (header.name.defaultCase().equalsIgnoreCase(value.trim())
                    || header.name().equalsIgnoreCase(value.trim().replace('-', '_'))) {
                return header;
            }
        }
        throw new RateLimitConfigException("rate-limit.client-address-header must be X-Forwarded-For or Forwarded, got '"
                                             + value + "'");
    }

    /** The address text of one comma-separated element of the header. */
    String address(String element) {
        if (this == X_FORWARDED_FOR) {
            return element;
        }
        String found = "";
        for (String pair : element.split(";", 16)) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                found = pair.substring(eq + 1).trim();
            }
        }
        return found;
    }
}
