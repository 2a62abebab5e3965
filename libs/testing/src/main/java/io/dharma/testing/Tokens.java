package io.dharma.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.jspecify.annotations.Nullable;

/**
 * Mints JWTs for tests: valid ones and every kind of bad one a verifier must refuse. Signed with the JDK's own
 * primitives, independently of the JOSE library the service verifies with, so a test proves interoperability rather
 * than a library agreeing with itself.
 * <pre>{@code
 * Tokens rsa = Tokens.rsa("key-1");                       // a fresh RSA-2048 key pair
 * String token = rsa.valid("alice", Set.of("editor"), "professional");
 * String pem = rsa.publicKeyPem();                          // for security.jwt.public-keys
 * String jwks = Tokens.jwks(rsa, Tokens.ec("key-2"));       // serve it from a test route
 * }</pre>
 * Tokens carry {@link #ISSUER} and {@link #AUDIENCE} unless changed with {@link #withIssuer} / {@link #withAudience},
 * and expire {@link #DEFAULT_LIFETIME} after the clock's now.
 */
public final class Tokens {
    /** Default {@code iss}. */
    public static final String ISSUER = "https://issuer.dharma.test";
    /** Default {@code aud}. */
    public static final String AUDIENCE = "dharma-api";
    /** Default lifetime of a valid token. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    /** How far in the past {@link #expired} tokens expired, and in the future {@link #notYetValid} tokens start. */
    public static final Duration FAR = Duration.ofMinutes(10);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String algorithm;
    private final String keyId;
    private final @Nullable KeyPair keyPair;
    private final byte[] secret;
    private final String issuer;
    private final String audience;
    private final InstantSource clock;

    private Tokens(String algorithm, String keyId, @Nullable KeyPair keyPair, byte[] secret, String issuer, String audience,
                   InstantSource clock) {
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.keyPair = keyPair;
        this.secret = secret;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /**
     * RS256 tokens from a fresh RSA-2048 key pair.
     *
     * @param keyId the {@code kid} of the key
     * @return token factory
     */
    public static Tokens rsa(String keyId) {
        return new Tokens("RS256", keyId, generate("RSA", null), new byte[0], ISSUER, AUDIENCE, InstantSource.system());
    }

    /**
     * ES256 tokens from a fresh P-256 key pair.
     *
     * @param keyId the {@code kid} of the key
     * @return token factory
     */
    public static Tokens ec(String keyId) {
        return new Tokens("ES256", keyId, generate("EC", new ECGenParameterSpec("secp256r1")), new byte[0], ISSUER,
                          AUDIENCE, InstantSource.system());
    }

    /**
     * HS256 tokens with a shared secret (its UTF-8 bytes), without {@code kid}.
     *
     * @param secret the secret, at least 32 bytes for a verifier to accept it
     * @return token factory
     */
    public static Tokens hmac(String secret) {
        return new Tokens("HS256", "", null, secret.getBytes(StandardCharsets.UTF_8), ISSUER, AUDIENCE,
                          InstantSource.system());
    }

    /**
     * A random HMAC secret of 48 characters.
     *
     * @return secret
     */
    public static String randomSecret() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "").substring(16);
    }

    /**
     * The same key with another {@code iss}.
     *
     * @param issuer issuer
     * @return token factory
     */
    public Tokens withIssuer(String issuer) {
        return new Tokens(algorithm, keyId, keyPair, secret, issuer, audience, clock);
    }

    /**
     * The same key with another {@code aud}.
     *
     * @param audience audience
     * @return token factory
     */
    public Tokens withAudience(String audience) {
        return new Tokens(algorithm, keyId, keyPair, secret, issuer, audience, clock);
    }

    /**
     * The same key with another {@code kid} in the token header (the key itself is unchanged).
     *
     * @param keyId key id
     * @return token factory
     */
    public Tokens withKeyId(String keyId) {
        return new Tokens(algorithm, keyId, keyPair, secret, issuer, audience, clock);
    }

    /**
     * The same key with another time source for {@code iat}, {@code exp} and {@code nbf}.
     *
     * @param clock time source
     * @return token factory
     */
    public Tokens withClock(InstantSource clock) {
        return new Tokens(algorithm, keyId, keyPair, secret, issuer, audience, clock);
    }

    /**
     * A valid token.
     *
     * @param subject {@code sub}
     * @param roles   {@code roles} (a JSON array)
     * @param tier    {@code tier}
     * @return compact JWS
     */
    public String valid(String subject, Collection<String> roles, String tier) {
        return token(subject, claims -> {
            claims.add("roles", array(roles));
            claims.add("tier", tier);
        });
    }

    /**
     * A valid token without roles or tier.
     *
     * @param subject {@code sub}
     * @return compact JWS
     */
    public String valid(String subject) {
        return token(subject, claims -> { });
    }

    /**
     * A valid token with more claims; the claims callback may replace the defaults ({@code iss}, {@code aud},
     * {@code sub}, {@code iat}, {@code exp}).
     *
     * @param subject {@code sub}
     * @param claims  adds or replaces claims
     * @return compact JWS
     */
    public String token(String subject, Consumer<JsonObjectBuilder> claims) {
        Instant now = clock.instant();
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("iss", issuer)
                .add("aud", audience)
                .add("sub", subject)
                .add("iat", now.getEpochSecond())
                .add("exp", now.plus(DEFAULT_LIFETIME).getEpochSecond());
        claims.accept(body);
        return sign(header(algorithm), body.build());
    }

    /**
     * A token that expired {@code ago} before now.
     *
     * @param subject {@code sub}
     * @param ago     how long ago it expired
     * @return compact JWS
     */
    public String expired(String subject, Duration ago) {
        Instant now = clock.instant();
        return token(subject, claims -> claims.add("iat", now.minus(ago).minus(DEFAULT_LIFETIME).getEpochSecond())
                .add("exp", now.minus(ago).getEpochSecond()));
    }

    /**
     * A token that expired {@link #FAR} ago.
     *
     * @param subject {@code sub}
     * @return compact JWS
     */
    public String expired(String subject) {
        return expired(subject, FAR);
    }

    /**
     * A token whose {@code nbf} is {@code ahead} after now.
     *
     * @param subject {@code sub}
     * @param ahead   how far in the future it becomes valid
     * @return compact JWS
     */
    public String notYetValid(String subject, Duration ahead) {
        Instant now = clock.instant();
        return token(subject, claims -> claims.add("nbf", now.plus(ahead).getEpochSecond())
                .add("exp", now.plus(ahead).plus(DEFAULT_LIFETIME).getEpochSecond()));
    }

    /**
     * A token valid only {@link #FAR} from now.
     *
     * @param subject {@code sub}
     * @return compact JWS
     */
    public String notYetValid(String subject) {
        return notYetValid(subject, FAR);
    }

    /**
     * A token with this factory's header and claims, signed by another, fresh key of the same type (bad signature).
     *
     * @param subject {@code sub}
     * @return compact JWS
     */
    public String wrongKey(String subject) {
        Tokens other = switch (algorithm) {
            case "RS256" -> rsa(keyId);
            case "ES256" -> ec(keyId);
            default -> hmac(randomSecret());
        };
        return other.withIssuer(issuer).withAudience(audience).withClock(clock).valid(subject);
    }

    /**
     * A valid token from another issuer.
     *
     * @param subject {@code sub}
     * @return compact JWS
     */
    public String wrongIssuer(String subject) {
        return withIssuer("https://evil.example").valid(subject);
    }

    /**
     * A valid token for another audience.
     *
     * @param subject {@code sub}
     * @return compact JWS
     */
    public String wrongAudience(String subject) {
        return withAudience("another-api").valid(subject);
    }

    /**
     * An unsecured token ({@code alg: none}, empty signature) with valid claims.
     *
     * @param subject {@code sub}
     * @param roles   roles it claims
     * @return compact JWT
     */
    public String algNone(String subject, Collection<String> roles) {
        JsonObject header = Json.createObjectBuilder().add("alg", "none").add("typ", "JWT").build();
        return encode(header) + "." + encode(claims(subject, roles)) + ".";
    }

    /**
     * The key-confusion attack: an HS256 token whose HMAC secret is this factory's public key in PEM form (the text a
     * naive verifier would feed to HMAC when it lets the token choose the algorithm for an RSA or EC key).
     *
     * @param subject {@code sub}
     * @param roles   roles it claims
     * @return compact JWS
     */
    public String keyConfusion(String subject, Collection<String> roles) {
        return keyConfusion(subject, roles, publicKeyPem().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The key-confusion attack with any byte form of the public key as the HMAC secret (PEM, DER, PEM without newline).
     *
     * @param subject {@code sub}
     * @param roles   roles it claims
     * @param secret  the bytes used as HMAC secret
     * @return compact JWS
     */
    public String keyConfusion(String subject, Collection<String> roles, byte[] secret) {
        String input = encode(header("HS256")) + "." + encode(claims(subject, roles));
        return input + "." + B64.encodeToString(hmac(secret, input));
    }

    /**
     * Strings that are not tokens at all.
     *
     * @return garbage "tokens" (each a valid b64token, so they reach the verifier)
     */
    public static List<String> garbage() {
        return List.of("garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0", "e30.e30.e30",
                       B64.encodeToString("{\"alg\":\"RS256\"".getBytes(StandardCharsets.UTF_8)) + ".e30.AAAA");
    }

    /**
     * The public key.
     *
     * @return RSA or EC public key
     * @throws IllegalStateException for an HMAC factory
     */
    public PublicKey publicKey() {
        return keys().getPublic();
    }

    /**
     * The public key as {@code -----BEGIN PUBLIC KEY-----} PEM (SubjectPublicKeyInfo).
     *
     * @return PEM text
     * @throws IllegalStateException for an HMAC factory
     */
    public String publicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKey().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * The key id.
     *
     * @return {@code kid}
     */
    public String keyId() {
        return keyId;
    }

    /**
     * The public key as a JWK ({@code kty}, {@code kid}, {@code use: sig}, {@code alg} and the key members).
     *
     * @return JWK JSON object
     * @throws IllegalStateException for an HMAC factory
     */
    public JsonObject jwk() {
        JsonObjectBuilder jwk = Json.createObjectBuilder().add("kid", keyId).add("use", "sig").add("alg", algorithm);
        if (publicKey() instanceof RSAPublicKey rsa) {
            jwk.add("kty", "RSA").add("n", unsigned(rsa.getModulus(), 0)).add("e", unsigned(rsa.getPublicExponent(), 0));
        } else if (publicKey() instanceof ECPublicKey ec) {
            jwk.add("kty", "EC").add("crv", "P-256")
                    .add("x", unsigned(ec.getW().getAffineX(), 32))
                    .add("y", unsigned(ec.getW().getAffineY(), 32));
        }
        return jwk.build();
    }

    /**
     * A JWK set of the public keys of some factories, for a test route that plays the identity provider.
     *
     * @param keys factories whose keys to publish
     * @return JWKS JSON text
     */
    public static String jwks(Tokens... keys) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        Arrays.stream(keys).forEach(k -> array.add(k.jwk()));
        return Json.createObjectBuilder().add("keys", array).build().toString();
    }

    /**
     * Sign any header and claims with this factory's key and algorithm (the header's {@code alg} is not checked, so
     * tests can lie in it).
     *
     * @param header JOSE header
     * @param claims claims
     * @return compact JWS
     */
    public String sign(JsonObject header, JsonObject claims) {
        String input = encode(header) + "." + encode(claims);
        byte[] signature = switch (algorithm) {
            case "HS256" -> hmac(secret, input);
            case "RS256" -> signature("SHA256withRSA", keys().getPrivate(), input);
            case "ES256" -> signature("SHA256withECDSAinP1363Format", keys().getPrivate(), input);
            default -> throw new IllegalStateException(algorithm);
        };
        return input + "." + B64.encodeToString(signature);
    }

    private KeyPair keys() {
        if (keyPair == null) {
            throw new IllegalStateException("An HMAC token factory has no public key");
        }
        return keyPair;
    }

    private JsonObject header(String alg) {
        JsonObjectBuilder header = Json.createObjectBuilder().add("alg", alg).add("typ", "JWT");
        if (!keyId.isEmpty()) {
            header.add("kid", keyId);
        }
        return header.build();
    }

    private JsonObject claims(String subject, Collection<String> roles) {
        Instant now = clock.instant();
        return Json.createObjectBuilder()
                .add("iss", issuer)
                .add("aud", audience)
                .add("sub", subject)
                .add("iat", now.getEpochSecond())
                .add("exp", now.plus(DEFAULT_LIFETIME).getEpochSecond())
                .add("roles", array(roles))
                .build();
    }

    private static JsonArrayBuilder array(Collection<String> values) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array;
    }

    private static String encode(JsonObject json) {
        return B64.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length < length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            bytes = padded;
        }
        return B64.encodeToString(bytes);
    }

    private static byte[] hmac(byte[] secret, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] signature(String jcaAlgorithm, PrivateKey key, String input) {
        try {
            Signature signature = Signature.getInstance(jcaAlgorithm);
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate(String type, @Nullable ECGenParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
            if (spec == null) {
                generator.initialize(2048);
            } else {
                generator.initialize(spec);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
