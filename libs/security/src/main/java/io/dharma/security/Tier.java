package io.dharma.security;

import java.util.Locale;

/**
 * Subscription tier of the caller, read from the token's {@code tier} claim, else its {@code subscription} claim.
 * Rate limits and quotas are chosen by tier.
 */
public enum Tier {
    /** No subscription; also the tier of an unknown or missing claim value. */
    FREE,
    /** Basic subscription. */
    BASIC,
    /** Professional subscription. */
    PROFESSIONAL,
    /** Enterprise subscription. */
    ENTERPRISE;

    /**
     * The tier named by a claim value, case-insensitively; anything unknown is {@link #FREE}, so a token cannot
     * raise its tier by sending a value this service does not know.
     *
     * @param value claim value, e.g. {@code "professional"}
     * @return the tier, {@link #FREE} if the value names none
     */
    public static Tier parse(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (Tier tier : values()) {
            if (tier.name().equals(name)) {
                return tier;
            }
        }
        return FREE;
    }
}
