package io.dharma.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * Tokens checked before, so a client's repeated token costs a hash and a lookup instead of a parse and a signature
 * check, and a flood of the same forged, expired or foreign token costs no more than that either.
 * <p>
 * Bounded ({@code token-cache.max-size}), keyed by the SHA-256 of the token (the cache never holds a token). A
 * verification is used only while the token is still within its {@code exp} (plus skew) and at most
 * {@code token-cache.max-age} after it was verified, and only while the key that verified it is still one the
 * {@link KeySource} offers for the token, so a rotated or removed secret and a key dropped from the JWKS revoke the
 * cached verifications at once. A rejection is used at most {@code token-cache.max-age}; one that depends on the
 * trusted keys (no key for the token, signature does not verify) only while the keys offered for the token are the
 * same as when it was refused, so a token signed with a newly trusted key is accepted at once. Rejections that depend
 * on the time (not valid yet) are not kept.
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
    Optional<Verification> get(String token, Instant now, KeySource keys) {
        if (entries == null) {
            return Optional.empty();
        }
        Digest digest = Digest.of(token);
        Entry entry = entries.getIfPresent(digest);
        if (entry == null) {
            return Optional.empty();
        }
        if (now.isBefore(entry.validUntil()) && entry.stillHolds(keys)) {
            return Optional.of(entry.verification());
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
            entries.put(Digest.of(token), new Accepted(new Verification.Verified(principal), key, keyId,
                                                       expiry.isBefore(maxUse) ? expiry : maxUse));
        }
    }

    /**
     * Remember a rejection that holds whatever the time.
     *
     * @param token    the compact token
     * @param rejected why it was refused
     * @param trusted  the keys offered for the token when the rejection depends on them (a signature that does not
     *                 verify, no key for its algorithm or kid), else null
     * @param keyId    the token's {@code kid}, if it has one
     * @param now      time of the check
     */
    void putRejected(String token, Verification.Rejected rejected, @Nullable List<VerificationKey> trusted,
                     @Nullable String keyId, Instant now) {
        if (entries != null) {
            entries.put(Digest.of(token), new Refused(rejected, trusted, keyId, now.plus(maxAge)));
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

    private static List<VerificationKey> offered(KeySource keys, @Nullable String keyId) {
        return keyId == null ? keys.keys() : keys.keys(keyId);
    }

    private sealed interface Entry {
        Verification verification();

        Instant validUntil();

        boolean stillHolds(KeySource keys);
    }

    private record Accepted(Verification verification, VerificationKey key, @Nullable String keyId, Instant validUntil)
            implements Entry {
        @Override
        public boolean stillHolds(KeySource keys) {
            return offered(keys, keyId).contains(key);
        }
    }

    private record Refused(Verification verification, @Nullable List<VerificationKey> trusted, @Nullable String keyId,
                           Instant validUntil) implements Entry {
        @Override
        public boolean stillHolds(KeySource keys) {
            return trusted == null || trusted.equals(offered(keys, keyId));
        }
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
