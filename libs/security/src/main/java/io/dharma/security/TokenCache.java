package io.dharma.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * Tokens that verified, so a client's repeated token costs a hash and a lookup instead of a parse and a signature check.
 * <p>
 * Bounded ({@code token-cache.max-size}), keyed by the SHA-256 of the token (the cache never holds a token), and an
 * entry is used only while the token is still within its {@code exp} (plus skew) and at most
 * {@code token-cache.max-age} after it was verified. Each entry remembers the key that verified it: a hit counts only
 * while that key is still one the {@link KeySource} offers for the token, so a rotated or removed secret and a key
 * dropped from the JWKS revoke the cached verifications at once. Rejections are not cached.
 */
final class TokenCache {
    private final @Nullable Cache<Digest, Entry> entries;
    private final Duration maxAge;

    TokenCache(int maxSize, Duration maxAge) {
        this.maxAge = maxAge;
        // the cache's own expiry only frees memory; validity is decided with the verifier's clock in get()
        this.entries = maxSize == 0 || maxAge.isZero() ? null
                : Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(maxAge).build();
    }

    /**
     * The principal of a token verified before, if that verification still holds.
     *
     * @param token the compact token
     * @param now   current time
     * @param keys  the keys now trusted
     * @return the principal, or empty: verify the token
     */
    Optional<Principal> get(String token, Instant now, KeySource keys) {
        if (entries == null) {
            return Optional.empty();
        }
        Digest digest = Digest.of(token);
        Entry entry = entries.getIfPresent(digest);
        if (entry == null) {
            return Optional.empty();
        }
        if (now.isBefore(entry.validUntil()) && stillTrusted(entry, keys)) {
            return Optional.of(entry.principal());
        }
        entries.invalidate(digest);
        return Optional.empty();
    }

    /**
     * Remember a verification.
     *
     * @param token     the compact token
     * @param principal who it identifies
     * @param key       the key whose signature check passed
     * @param keyId     the token's {@code kid}, if it has one
     * @param now       time of the verification
     * @param expiry    the token's {@code exp} plus the clock skew
     */
    void put(String token, Principal principal, VerificationKey key, @Nullable String keyId, Instant now, Instant expiry) {
        if (entries != null) {
            Instant maxUse = now.plus(maxAge);
            entries.put(Digest.of(token), new Entry(principal, key, keyId, expiry.isBefore(maxUse) ? expiry : maxUse));
        }
    }

    long size() {
        return entries == null ? 0 : entries.estimatedSize();
    }

    void cleanUp() {
        if (entries != null) {
            entries.cleanUp();
        }
    }

    private static boolean stillTrusted(Entry entry, KeySource keys) {
        return (entry.keyId() == null ? keys.keys() : keys.keys(entry.keyId())).contains(entry.key());
    }

    private record Entry(Principal principal, VerificationKey key, @Nullable String keyId, Instant validUntil) {
    }

    /** SHA-256 of a token as four longs: equal digests mean equal tokens, and no token text is kept. */
    private record Digest(long a, long b, long c, long d) {
        private static final MessageDigest PROTOTYPE = sha256();

        static Digest of(String token) {
            MessageDigest digest;
            try {
                // a clone skips the provider lookup of getInstance
                digest = (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                digest = sha256();
            }
            // a bearer token is ASCII (b64token), checked by the filter
            ByteBuffer hash = ByteBuffer.wrap(digest.digest(token.getBytes(StandardCharsets.ISO_8859_1)));
            return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every JDK", e);
            }
        }
    }
}
