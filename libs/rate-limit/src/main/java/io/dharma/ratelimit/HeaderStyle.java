package io.dharma.ratelimit;

/**
 * Which rate-limit response headers are sent.
 */
public enum HeaderStyle {
    /** {@code RateLimit-Policy} and {@code RateLimit} of draft-ietf-httpapi-ratelimit-headers-11, one item per policy. */
    IETF,
    /** {@code RateLimit-Limit}, {@code RateLimit-Remaining}, {@code RateLimit-Reset} (draft 6) of the tightest policy. */
    DRAFT6,
    /** No rate-limit headers ({@code Retry-After} on rejections is still sent). */
    OFF
}
