package io.dharma.testing;

import java.io.StringReader;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import org.jspecify.annotations.Nullable;

/**
 * An HTTP stub of the documented HashiCorp Vault API, on a loopback port, for tests: no Vault server can run on the
 * build machines. It is not Vault; it answers the few calls Dharma makes the way the Vault API documentation describes:
 * <ul>
 *     <li>{@code GET /v1/<mount>/data/<path>}: KV v2 read, {@code {"data":{"data":{...},"metadata":{"version":N,...}}}},
 *     404 when the path holds no live version</li>
 *     <li>{@code POST /v1/auth/approle/login} with {@code {"role_id":..,"secret_id":..}}: returns
 *     {@code {"auth":{"client_token":..,"lease_duration":..,..}}}, 400 {@code invalid role or secret ID} otherwise</li>
 *     <li>{@code POST /v1/auth/<path>/login} with {@code {"role":..,"jwt":..}} for a Kubernetes auth mount registered with
 *     {@link #kubernetes(String, String, String)}: the same answer; 400 {@code invalid role name} for an unknown role,
 *     403 {@code permission denied} for a service account token the role does not accept</li>
 *     <li>{@code GET /v1/sys/health}: 200 when up, 503 (sealed) when {@link #down() down}; needs no token</li>
 * </ul>
 * Every other call needs a valid {@code X-Vault-Token} ({@link #token()} or one issued by an AppRole login), else it
 * answers 403 {@code {"errors":["permission denied"]}}. Use one stub per test class and {@link #close()} it.
 */
public final class VaultStub implements AutoCloseable {
    /** Mount of the KV v2 engine used by {@link #put(String, Map)}, as in a Vault dev server. */
    public static final String DEFAULT_MOUNT = "secret";
    /** Lease of the client tokens issued by AppRole logins, in seconds. */
    public static final int LEASE_SECONDS = 3600;

    private static final String TOKEN_HEADER = "X-Vault-Token";
    private static final String LOGIN_PATH = "/v1/auth/approle/login";
    private static final String AUTH_PREFIX = "/v1/auth/";
    private static final String LOGIN_SUFFIX = "/login";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String rootToken = "hvs.stub-root-" + random();
    // "<mount>/<path>" -> latest version of the KV v2 document
    private final Map<String, Version> documents = new ConcurrentHashMap<>();
    // role id -> secret id
    private final Map<String, String> approles = new ConcurrentHashMap<>();
    // Kubernetes auth: "<mount>/<role>" -> service account token the role accepts
    private final Map<String, String> kubernetesRoles = new ConcurrentHashMap<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private final WebServer server;
    private volatile boolean down;

    private VaultStub() {
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .shutdownGracePeriod(java.time.Duration.ofMillis(200))
                .routing(routing -> routing.any(this::handle))
                .build()
                .start();
    }

    /**
     * Start a stub on a free loopback port.
     *
     * @return running stub
     */
    public static VaultStub start() {
        return new VaultStub();
    }

    /**
     * Port the stub listens on.
     *
     * @return port
     */
    public int port() {
        return server.port();
    }

    /**
     * Address to configure as the Vault address ({@code secrets.vault.address}).
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public String address() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * Write a new version of a KV v2 document in the {@value #DEFAULT_MOUNT} mount.
     *
     * @param path   document path, e.g. {@code blueprint-service}
     * @param values the document's keys and values
     * @return the new version number (1 for a new document)
     */
    public int put(String path, Map<String, String> values) {
        return put(DEFAULT_MOUNT, path, values);
    }

    /**
     * Write a new version of a KV v2 document.
     *
     * @param mount  mount of the KV v2 engine
     * @param path   document path
     * @param values the document's keys and values
     * @return the new version number
     */
    public int put(String mount, String path, Map<String, String> values) {
        return documents.compute(mount + "/" + path, (key, previous) -> new Version(
                previous == null ? 1 : previous.version() + 1, Map.copyOf(values), Instant.now(), null)).version();
    }

    /**
     * Soft-delete the latest version of a document in the {@value #DEFAULT_MOUNT} mount; reads answer 404 from now on.
     *
     * @param path document path
     */
    public void delete(String path) {
        documents.computeIfPresent(DEFAULT_MOUNT + "/" + path, (key, version) -> version.deleted(Instant.now()));
    }

    /**
     * The token the stub accepts, as a Vault root token would be.
     *
     * @return token to configure as {@code secrets.vault.token}
     */
    public String token() {
        return rootToken;
    }

    /**
     * Register an AppRole credential pair accepted by {@code POST /v1/auth/approle/login}.
     *
     * @param roleId   role id
     * @param secretId secret id
     */
    public void approle(String roleId, String secretId) {
        approles.put(roleId, secretId);
    }

    /**
     * Register (or replace) a role of a Kubernetes auth mount: {@code POST /v1/auth/<mount>/login} with this role and
     * service account token returns a client token. Calling it again with another token is what a rotated (projected)
     * service account token looks like: the old one is refused from then on.
     *
     * @param mount mount of the Kubernetes auth method, e.g. {@code kubernetes}
     * @param role  role name
     * @param jwt   the service account token (JWT) the role accepts
     */
    public void kubernetes(String mount, String role, String jwt) {
        kubernetesRoles.put(mount + "/" + role, jwt);
    }

    /**
     * Revoke every client token issued by logins (AppRole and Kubernetes; the root token stays valid), as when a token
     * expires.
     */
    public void revokeTokens() {
        issuedTokens.clear();
    }

    /**
     * Simulate an outage: every call, {@code sys/health} included, answers 503 as a sealed Vault does.
     */
    public void down() {
        down = true;
    }

    /**
     * End the outage started by {@link #down()}.
     */
    public void up() {
        down = false;
    }

    /**
     * Number of HTTP requests received so far (all paths, failed ones included).
     *
     * @return request count
     */
    public int requests() {
        return requests.get();
    }

    /**
     * Number of successful logins (AppRole and Kubernetes) so far.
     *
     * @return login count
     */
    public int logins() {
        return logins.get();
    }

    /**
     * Stop the server; clients get connection refused from now on.
     */
    @Override
    public void close() {
        server.stop();
    }

    private void handle(ServerRequest req, ServerResponse res) {
        requests.incrementAndGet();
        String path = req.path().path();
        Method method = req.prologue().method();
        if (path.equals("/v1/sys/health")) {
            health(res);
            return;
        }
        if (down) {
            send(res, Status.SERVICE_UNAVAILABLE_503, errors("Vault is sealed"));
            return;
        }
        if (path.equals(LOGIN_PATH) && method.equals(Method.POST)) {
            login(req, res);
            return;
        }
        if (path.startsWith(AUTH_PREFIX) && path.endsWith(LOGIN_SUFFIX) && method.equals(Method.POST)) {
            kubernetesLogin(path.substring(AUTH_PREFIX.length(), path.length() - LOGIN_SUFFIX.length()), req, res);
            return;
        }
        String token = req.headers().first(HeaderNames.create(TOKEN_HEADER)).orElse("");
        if (!token.equals(rootToken) && !issuedTokens.contains(token)) {
            send(res, Status.FORBIDDEN_403, errors("permission denied"));
            return;
        }
        Optional<String> document = kvDataPath(path);
        if (document.isPresent() && method.equals(Method.GET)) {
            read(document.get(), res);
            return;
        }
        send(res, Status.NOT_FOUND_404, errors());
    }

    private void read(String key, ServerResponse res) {
        Version version = documents.get(key);
        if (version == null) {
            send(res, Status.NOT_FOUND_404, errors());
            return;
        }
        JsonObjectBuilder data = Json.createObjectBuilder();
        if (version.deleted() == null) {
            JsonObjectBuilder values = Json.createObjectBuilder();
            version.data().forEach(values::add);
            data.add("data", values);
        } else {
            data.add("data", JsonValue.NULL);
        }
        data.add("metadata", Json.createObjectBuilder()
                .add("created_time", version.created().toString())
                .add("custom_metadata", JsonValue.NULL)
                .add("deletion_time", version.deleted() == null ? "" : version.deleted().toString())
                .add("destroyed", false)
                .add("version", version.version()));
        send(res, version.deleted() == null ? Status.OK_200 : Status.NOT_FOUND_404, envelope().add("data", data).build());
    }

    private void login(ServerRequest req, ServerResponse res) {
        JsonObject body = body(req, res);
        if (body == null) {
            return;
        }
        String roleId = body.getString("role_id", "");
        String secretId = body.getString("secret_id", "");
        if (roleId.isEmpty()) {
            send(res, Status.BAD_REQUEST_400, errors("missing role_id"));
            return;
        }
        if (!secretId.equals(approles.get(roleId))) {
            send(res, Status.BAD_REQUEST_400, errors("invalid role or secret ID"));
            return;
        }
        issueToken(res);
    }

    private void kubernetesLogin(String mount, ServerRequest req, ServerResponse res) {
        JsonObject body = body(req, res);
        if (body == null) {
            return;
        }
        String role = body.getString("role", "");
        String jwt = body.getString("jwt", "");
        if (role.isEmpty() || jwt.isEmpty()) {
            send(res, Status.BAD_REQUEST_400, errors(role.isEmpty() ? "missing role" : "missing jwt"));
            return;
        }
        String accepted = kubernetesRoles.get(mount + "/" + role);
        if (accepted == null) {
            send(res, Status.BAD_REQUEST_400, errors("invalid role name \"" + role + "\""));
            return;
        }
        if (!accepted.equals(jwt)) {
            send(res, Status.FORBIDDEN_403, errors("permission denied"));
            return;
        }
        issueToken(res);
    }

    private static @Nullable JsonObject body(ServerRequest req, ServerResponse res) {
        try {
            return Json.createReader(new StringReader(req.content().as(String.class))).readObject();
        } catch (JsonException | ClassCastException e) {
            send(res, Status.BAD_REQUEST_400, errors("failed to parse JSON input"));
            return null;
        }
    }

    private void issueToken(ServerResponse res) {
        String clientToken = "hvs.stub-" + random();
        issuedTokens.add(clientToken);
        logins.incrementAndGet();
        JsonObject auth = Json.createObjectBuilder()
                .add("client_token", clientToken)
                .add("accessor", "stub-accessor-" + random())
                .add("policies", Json.createArrayBuilder().add("default"))
                .add("token_policies", Json.createArrayBuilder().add("default"))
                .add("metadata", Json.createObjectBuilder().add("role_name", "stub"))
                .add("lease_duration", LEASE_SECONDS)
                .add("renewable", true)
                .add("entity_id", UUID.randomUUID().toString())
                .add("token_type", "service")
                .add("orphan", true)
                .add("num_uses", 0)
                .build();
        send(res, Status.OK_200, envelope().add("data", JsonValue.NULL).add("auth", auth).build());
    }

    private void health(ServerResponse res) {
        JsonObject body = Json.createObjectBuilder()
                .add("initialized", true)
                .add("sealed", down)
                .add("standby", false)
                .add("version", "stub")
                .add("server_time_utc", Instant.now().getEpochSecond())
                .build();
        send(res, down ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200, body);
    }

    /** {@code /v1/<mount>/data/<path>} -> {@code <mount>/<path>}. */
    private static Optional<String> kvDataPath(String path) {
        if (!path.startsWith("/v1/")) {
            return Optional.empty();
        }
        String rest = path.substring("/v1/".length());
        int marker = rest.indexOf("/data/");
        if (marker <= 0 || marker + "/data/".length() >= rest.length()) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(0, marker) + "/" + rest.substring(marker + "/data/".length()));
    }

    private static JsonObjectBuilder envelope() {
        return Json.createObjectBuilder()
                .add("request_id", UUID.randomUUID().toString())
                .add("lease_id", "")
                .add("renewable", false)
                .add("lease_duration", 0)
                .add("wrap_info", JsonValue.NULL)
                .add("warnings", JsonValue.NULL);
    }

    private static JsonObject errors(String... messages) {
        return Json.createObjectBuilder().add("errors", Json.createArrayBuilder(List.of(messages))).build();
    }

    private static void send(ServerResponse res, Status status, JsonObject body) {
        res.status(status)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .send(body.toString());
    }

    private static String random() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** One version of a KV v2 document. */
    private record Version(int version, Map<String, String> data, Instant created, @Nullable Instant deleted) {
        Version deleted(Instant when) {
            return new Version(version, data, created, when);
        }
    }
}
