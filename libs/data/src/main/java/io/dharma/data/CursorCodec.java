package io.dharma.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

import io.helidon.config.Config;

/**
 * Encodes keyset-pagination cursors that clients cannot read meaningfully nor forge:
 * {@code base64url(payload) + "." + base64url(HMAC-SHA256(payload))}, where the payload is the sort-key values of the
 * last row of a page (e.g. {@code created_at} and {@code id}). The values are signed, not encrypted: a client that
 * base64-decodes a cursor can read them, so put only sort keys the client may see in it.
 * <p>
 * Configured from the {@code db.pagination} node: {@code cursor-secret} (at least {@value #MIN_SECRET_LENGTH}
 * characters; env {@code DB_PAGINATION_CURSOR_dash_SECRET}). Without it, cursors are signed with a random key made once
 * per process, and a warning is logged: a cursor then only works on the instance that issued it, until it restarts.
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class CursorCodec {
    /** Minimum length of a configured {@code cursor-secret}. */
    public static final int MIN_SECRET_LENGTH = 32;
    /** Most values a cursor can carry. */
    public static final int MAX_VALUES = 8;
    /** Longest cursor (in characters) that is decoded; longer ones are rejected before any work. */
    public static final int MAX_CURSOR_LENGTH = 1024;

    private static final System.Logger LOGGER = System.getLogger(CursorCodec.class.getName());
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte VERSION = 1;
    private static final int MAX_PAYLOAD = 600;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    private CursorCodec(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * Create a codec from the {@code db.pagination} config node.
     *
     * @param pagination the {@code db.pagination} node (may be missing)
     * @return codec
     * @throws DataException if {@code cursor-secret} is shorter than {@value #MIN_SECRET_LENGTH} characters
     */
    public static CursorCodec create(Config pagination) {
        return pagination.get("cursor-secret").asString()
                .map(CursorCodec::create)
                .orElseGet(() -> new CursorCodec(ProcessKey.KEY));
    }

    /**
     * Create a codec with a secret shared by every instance of the service.
     *
     * @param secret at least {@value #MIN_SECRET_LENGTH} characters
     * @return codec
     * @throws DataException if the secret is too short
     */
    public static CursorCodec create(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new DataConfigException("db.pagination.cursor-secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        return new CursorCodec(secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Encode the sort-key values of the last row of a page.
     *
     * @param values 1 to {@value #MAX_VALUES} values, in sort order
     * @return opaque, URL-safe cursor
     * @throws IllegalArgumentException if there are no values, too many, or they are too long
     */
    public String encode(List<String> values) {
        if (values.isEmpty() || values.size() > MAX_VALUES) {
            throw new IllegalArgumentException("A cursor carries 1 to " + MAX_VALUES + " values, got " + values.size());
        }
        List<byte[]> encoded = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
        int size = 2 + encoded.stream().mapToInt(b -> 2 + b.length).sum();
        if (size > MAX_PAYLOAD) {
            throw new IllegalArgumentException("Cursor values are too long: " + size + " bytes");
        }
        ByteBuffer payload = ByteBuffer.allocate(size).put(VERSION).put((byte) encoded.size());
        encoded.forEach(b -> payload.putShort((short) b.length).put(b));
        byte[] bytes = payload.array();
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /**
     * Decode and verify a cursor received from a client.
     *
     * @param cursor cursor as issued by {@link #encode(List)}
     * @return the values it carries
     * @throws ApiException {@link ErrorCode#BAD_REQUEST} if the cursor is malformed, tampered with or signed with
     *                      another key
     */
    public Cursor decode(String cursor) {
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw invalid();
        }
        int dot = cursor.indexOf('.');
        if (dot <= 0 || dot != cursor.lastIndexOf('.')) {
            throw invalid();
        }
        byte[] payload = decodePart(cursor.substring(0, dot));
        byte[] signature = decodePart(cursor.substring(dot + 1));
        if (!MessageDigest.isEqual(mac(payload), signature)) {
            throw invalid();
        }
        return new Cursor(parse(payload));
    }

    private static List<String> parse(byte[] payload) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            if (buffer.get() != VERSION) {
                throw invalid();
            }
            int count = buffer.get();
            if (count < 1 || count > MAX_VALUES) {
                throw invalid();
            }
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] value = new byte[Short.toUnsignedInt(buffer.getShort())];
                buffer.get(value);
                values.add(StandardCharsets.UTF_8.newDecoder()
                                   .onMalformedInput(CodingErrorAction.REPORT)
                                   .onUnmappableCharacter(CodingErrorAction.REPORT)
                                   .decode(ByteBuffer.wrap(value))
                                   .toString());
            }
            if (buffer.hasRemaining()) {
                throw invalid();
            }
            return values;
        } catch (RuntimeException | CharacterCodingException e) {
            // only reachable with a valid signature, i.e. a cursor we issued in an unknown format
            throw invalid();
        }
    }

    private static byte[] decodePart(String part) {
        try {
            byte[] bytes = DECODER.decode(part);
            // reject non-canonical encodings (padding, stray low bits), so a flipped character never verifies
            if (!ENCODER.encodeToString(bytes).equals(part)) {
                throw invalid();
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is a mandatory JDK algorithm
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static ApiException invalid() {
        return ApiException.of(ErrorCode.BAD_REQUEST, "The cursor is invalid");
    }

    /** The random key used when no secret is configured: one per process, made (and warned about) on first use. */
    private static final class ProcessKey {
        private static final byte[] KEY = create();

        private static byte[] create() {
            LOGGER.log(System.Logger.Level.WARNING, "db.pagination.cursor-secret is not set: pagination cursors are signed "
                    + "with a random key of this process, so a cursor issued by one instance is rejected by the others "
                    + "and after a restart. Multi-instance deployments must set db.pagination.cursor-secret "
                    + "(env DB_PAGINATION_CURSOR_dash_SECRET).");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return key;
        }
    }
}
