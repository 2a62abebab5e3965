package io.dharma.cache;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The JSON answers of entity versions, serialised once: a version (the value of its strong {@code ETag}) never
 * changes, so the bytes of its answer can be kept and sent again to every caller allowed to read it, instead of
 * serialising the same object on every request. Bounded by the bytes held (least recently used versions leave first);
 * a new version is a new entry, so nothing needs invalidating. The bytes are what Helidon's JSON-B support writes for
 * the same object ({@code application/json}, UTF-8); a caller asking for another charset gets the object serialised
 * as usual.
 * <pre>
 * representations.sendJson(req, res, "blueprint", blueprint.id().toString(), blueprint.etag(),
 *                          () -&gt; BlueprintResponse.from(blueprint, true));
 * // a page: each row's bytes kept per version, the page around them
 * representations.sendJson(req, res,
 *                          () -&gt; page.json(b -&gt; representations.json("blueprint", b.id().toString(), b.etag(),
 *                                                                     () -&gt; BlueprintResponse.from(b, true))),
 *                          () -&gt; page.map(b -&gt; BlueprintResponse.from(b, true)));
 * </pre>
 */
public final class Representations {
    /** Bytes held by {@link #create()}. */
    public static final long DEFAULT_MAXIMUM_BYTES = 16L * 1024 * 1024;
    private static final Jsonb JSON_B = JsonbBuilder.create();

    private final Cache<Key, byte[]> answers;

    private Representations(long maximumBytes) {
        this.answers = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .weigher((Key key, byte[] bytes) -> bytes.length + key.weight())
                .build();
    }

    /**
     * Representations holding up to {@value #DEFAULT_MAXIMUM_BYTES} bytes.
     *
     * @return representations
     */
    public static Representations create() {
        return create(DEFAULT_MAXIMUM_BYTES);
    }

    /**
     * Representations holding up to the given number of bytes.
     *
     * @param maximumBytes bound of the bytes held
     * @return representations
     */
    public static Representations create(long maximumBytes) {
        return new Representations(maximumBytes);
    }

    /**
     * Sends the JSON answer of one version of an entity, serialising it only the first time.
     *
     * @param req     the request (its {@code Accept} charset is honoured)
     * @param res     the response; status and headers are the caller's, this sends the body
     * @param type    kind of entity, e.g. {@code blueprint}
     * @param id      the entity's id
     * @param version the version's entity tag (a strong {@code ETag}: one tag, one content)
     * @param body    the answer's object, asked for only when the bytes are not held
     */
    public void sendJson(ServerRequest req, ServerResponse res, String type, String id, String version,
                         Supplier<?> body) {
        sendJson(req, res, () -> json(type, id, version, body), body);
    }

    /**
     * Sends a JSON answer from bytes made of kept representations (e.g. a page of rows, each row's bytes from
     * {@link #json(String, String, String, Supplier)}), or, when the caller asks for a charset other than UTF-8, the
     * object serialised as usual.
     *
     * @param req  the request (its {@code Accept} charset is honoured)
     * @param res  the response; status and headers are the caller's, this sends the body
     * @param utf8 the answer's UTF-8 JSON bytes
     * @param body the answer's object, asked for only when the bytes cannot be sent
     */
    public void sendJson(ServerRequest req, ServerResponse res, Supplier<byte[]> utf8, Supplier<?> body) {
        if (!writesUtf8(req)) {
            res.send(body.get());
            return;
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(utf8.get());
    }

    /**
     * The UTF-8 JSON bytes of one version of an entity, serialised only the first time; for answers made of several
     * entities (a page of rows), sent with {@link #sendJson(ServerRequest, ServerResponse, Supplier, Supplier)}.
     *
     * @param type    kind of entity (and of representation, e.g. {@code blueprint-summary} for a shorter one)
     * @param id      the entity's id
     * @param version the version's entity tag
     * @param body    the object to serialise, asked for only when the bytes are not held
     * @return the bytes; not to be modified
     */
    public byte[] json(String type, String id, String version, Supplier<?> body) {
        return answers.get(new Key(type, id, version), key -> JSON_B.toJson(body.get()).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the answer to this request may be UTF-8 JSON: no accepted JSON type names another charset. */
    private static boolean writesUtf8(ServerRequest req) {
        for (HttpMediaType accepted : req.headers().acceptedTypes()) {
            if (accepted.charset().isPresent() && accepted.test(MediaTypes.APPLICATION_JSON)
                    && !accepted.charset().get().equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private record Key(String type, String id, String version) {
        int weight() {
            return 48 + 2 * (type.length() + id.length() + version.length());
        }
    }
}
