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
    private static final MessageDigest SHA_256 = sha256();
    // the keys of recent callers by hash of their material: a client's next request costs a look-up, not a digest
    private static final int REMEMBERED_SLOTS = 4096;
    private static final Hashed[] REMEMBERED = new Hashed[REMEMBERED_SLOTS];

    private Keys() {
    }

    static String hash(String material) {
        int slot = material.hashCode() & (REMEMBERED_SLOTS - 1);
        Hashed known = REMEMBERED[slot];
        if (known != null && known.material().equals(material)) {
            return known.key();
        }
        String key = digest(material);
        REMEMBERED[slot] = new Hashed(material, key);
        return key;
    }

    private static String digest(String material) {
        try {
            // a clone of a ready digest skips the provider lookup of getInstance on every request
            MessageDigest sha256 = (MessageDigest) SHA_256.clone();
            byte[] digest = sha256.digest(material.getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(Arrays.copyOf(digest, 16));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests cannot be cloned", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private record Hashed(String material, String key) {
    }
}
