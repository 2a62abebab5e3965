package io.dharma.ratelimit;

import java.util.Locale;

/**
 * What a policy's bucket is keyed by; a policy may combine several (for example {@code user+route}).
 */
public enum KeyPart {
    /** The client IP address (IPv6 reduced to the configured prefix). */
    IP,
    /** The authenticated subject; for anonymous requests on route policies, the client IP instead. */
    USER,
    /** The caller's tier: one bucket shared by every caller of a tier. */
    TIER,
    /** The matched route template (or the raw path when no route rule matched). */
    ROUTE;

    static KeyPart parse(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (KeyPart part : values()) {
            if (part.name().equals(name)) {
                return part;
            }
        }
        throw new RateLimitConfigException("Unknown rate-limit key part '" + value + "' (expected ip, user, tier or route)");
    }
}
