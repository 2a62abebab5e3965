package io.dharma.security;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import org.jspecify.annotations.Nullable;

/**
 * One key that may verify token signatures, with the algorithms it accepts. The algorithms follow from the key type
 * and are never taken from the token: an HMAC secret accepts only {@code HS*}, an RSA key only {@code RS*}/{@code PS*},
 * an EC key only the {@code ES*} of its curve. So a token signed with HS256 is never checked against an RSA key
 * (the key-confusion attack), and {@code alg: none} matches no key at all.
 */
public final class VerificationKey {
    /** Smallest accepted RSA modulus, in bits. */
    public static final int MIN_RSA_BITS = 2048;

    private final @Nullable String keyId;
    private final Key key;
    private final Set<String> algorithms;
    private final JWSVerifier verifier;

    private VerificationKey(@Nullable String keyId, Key key, Set<String> algorithms, JWSVerifier verifier) {
        this.keyId = keyId;
        this.key = key;
        this.algorithms = Set.copyOf(algorithms);
        this.verifier = verifier;
    }

    /**
     * A key without key id: it is tried for every token whose algorithm it accepts.
     *
     * @param key an HMAC {@link SecretKey} (at least 256 bits), an {@link RSAPublicKey} (at least 2048 bits) or an
     *            {@link ECPublicKey} on P-256, P-384 or P-521
     * @return verification key
     * @throws SecurityConfigException if the key type or size is not acceptable
     */
    public static VerificationKey of(Key key) {
        return create(null, key);
    }

    /**
     * A key with a key id: tokens whose header names another {@code kid} are not checked against it.
     *
     * @param keyId the {@code kid}
     * @param key   key, as for {@link #of(Key)}
     * @return verification key
     * @throws SecurityConfigException if the key type or size is not acceptable
     */
    public static VerificationKey of(String keyId, Key key) {
        return create(keyId, key);
    }

    /**
     * An HMAC key from a shared secret, used as its UTF-8 bytes.
     *
     * @param secret at least 32 bytes (RFC 7518 §3.2: the key must be as long as the hash)
     * @return verification key accepting HS256 (and HS384/HS512 when the secret is long enough)
     * @throws SecurityConfigException if the secret is shorter than 32 bytes
     */
    public static VerificationKey hmac(String secret) {
        return of(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    /**
     * A public key from PEM text: {@code -----BEGIN PUBLIC KEY-----} (RSA or EC) or {@code -----BEGIN CERTIFICATE-----}.
     *
     * @param keyId the {@code kid}
     * @param pem   PEM text
     * @return verification key
     * @throws SecurityConfigException if the text is not a supported PEM public key
     */
    public static VerificationKey pem(String keyId, String pem) {
        return of(keyId, Pem.publicKey(pem));
    }

    /**
     * The same key, restricted to one algorithm (a JWK's {@code alg} member pins it like this).
     *
     * @param algorithm JWS algorithm name, e.g. {@code RS256}
     * @return a key accepting only that algorithm, if this key accepts it
     * @throws SecurityConfigException if this key does not accept the algorithm
     */
    public VerificationKey restrictTo(String algorithm) {
        if (!algorithms.contains(algorithm)) {
            throw new SecurityConfigException("A " + key.getAlgorithm() + " key cannot verify " + algorithm
                                                       + "; it accepts " + algorithms);
        }
        return new VerificationKey(keyId, key, Set.of(algorithm), verifier);
    }

    /**
     * The key id.
     *
     * @return {@code kid}, empty if the key has none
     */
    public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
    }

    /**
     * The key.
     *
     * @return JCA key
     */
    public Key key() {
        return key;
    }

    /**
     * JWS algorithm names this key accepts.
     *
     * @return e.g. {@code [RS256, RS384, RS512, PS256, PS384, PS512]}
     */
    public Set<String> algorithms() {
        return algorithms;
    }

    /**
     * Whether this key may verify a token with this key id: yes if the ids are equal or the key has none.
     *
     * @param tokenKeyId the token's {@code kid}
     * @return {@code true} if the key is a candidate
     */
    public boolean matches(String tokenKeyId) {
        return keyId == null || keyId.equals(tokenKeyId);
    }

    @Override
    public String toString() {
        // never the key material
        return "VerificationKey[" + key.getAlgorithm() + (keyId == null ? "" : ", kid=" + keyId) + ", " + algorithms + "]";
    }

    JWSVerifier verifier() {
        return verifier;
    }

    boolean accepts(JWSAlgorithm algorithm) {
        return algorithms.contains(algorithm.getName());
    }

    /**
     * Same key id, key material and algorithms: a key fetched again (a JWKS refresh) equals the one it replaces.
     *
     * @param other another object
     * @return whether it is the same verification key
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other == this || other instanceof VerificationKey that && Objects.equals(keyId, that.keyId)
                && key.equals(that.key) && algorithms.equals(that.algorithms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, key, algorithms);
    }

    private static VerificationKey create(@Nullable String keyId, Key key) {
        try {
            JWSVerifier verifier;
            if (key instanceof SecretKey secret) {
                byte[] bytes = secret.getEncoded();
                if (bytes == null || bytes.length < 32) {
                    throw new SecurityConfigException("An HMAC secret must have at least 32 bytes (256 bits)");
                }
                verifier = new MACVerifier(bytes);
            } else if (key instanceof RSAPublicKey rsa) {
                if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    throw new SecurityConfigException("An RSA key must have at least " + MIN_RSA_BITS + " bits, got "
                                                               + rsa.getModulus().bitLength());
                }
                verifier = new RSASSAVerifier(rsa);
            } else if (key instanceof ECPublicKey ec) {
                verifier = new ECDSAVerifier(ec);
            } else {
                throw new SecurityConfigException("Unsupported verification key type " + key.getAlgorithm()
                                                           + ": use an HMAC secret, an RSA or an EC public key");
            }
            Set<String> algorithms = new LinkedHashSet<>();
            verifier.supportedJWSAlgorithms().forEach(alg -> algorithms.add(alg.getName()));
            return new VerificationKey(keyId, key, algorithms, verifier);
        } catch (JOSEException e) {
            throw new SecurityConfigException("Unusable verification key: " + e.getMessage(), e);
        }
    }
}
