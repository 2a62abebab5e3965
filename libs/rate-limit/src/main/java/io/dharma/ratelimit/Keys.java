package io.dharma.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Bucket keys never carry raw IPs, subjects or tokens: the key material is hashed with SHA-256, truncated to 128
 * bits and encoded base64url (22 characters).
 */
final class Keys {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Keys() {
    }

    static String hash(String material) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new RateLimitException("SHA-256 is not available", e);
        }
    }
}
