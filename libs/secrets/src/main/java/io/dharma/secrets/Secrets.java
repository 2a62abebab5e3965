package io.dharma.secrets;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.dharma.logging.Redactor;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.integrations.common.rest.ApiRestException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's secrets, from a chain of sources; the first source that has a name wins.
 * <p>
 * Config (the {@code secrets} node):
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code sources}</td><td>{@code [vault, files, env]} when {@code vault.address} is set, else
 *     {@code [files, env]}</td><td>the chain, in order (a list or a comma-separated value)</td></tr>
 * <tr><td>{@code refresh-interval}</td><td>{@code PT5M}</td><td>time between two reloads</td></tr>
 * <tr><td>{@code retry-interval}</td><td>{@code PT10S}</td><td>time before the next reload while a source fails</td></tr>
 * <tr><td>{@code required}</td><td>none</td><td>names readiness waits for</td></tr>
 * <tr><td>{@code env.prefix}</td><td>{@code SECRET_}</td><td>{@code jwt-signing-key} is read from
 *     {@code SECRET_JWT_SIGNING_KEY} (upper case, {@code -} and {@code .} become {@code _})</td></tr>
 * <tr><td>{@code files.directory}</td><td>{@code /var/run/secrets/dharma}</td><td>{@code jwt-signing-key} is the
 *     content of {@code <directory>/jwt-signing-key}, trailing line breaks removed (a Kubernetes Secret volume)</td></tr>
 * <tr><td>{@code vault.address}</td><td>none</td><td>Vault URL, e.g. {@code https://vault:8200}</td></tr>
 * <tr><td>{@code vault.mount}</td><td>{@code secret}</td><td>mount of the KV v2 engine</td></tr>
 * <tr><td>{@code vault.path}</td><td>required with Vault</td><td>the KV v2 document; each of its keys is a secret</td></tr>
 * <tr><td>{@code vault.token}</td><td>none</td><td>token auth</td></tr>
 * <tr><td>{@code vault.approle.role-id}, {@code vault.approle.secret-id}</td><td>none</td><td>AppRole auth (instead of a
 *     token); {@code vault.approle.path} is the auth mount, default {@code approle}</td></tr>
 * <tr><td>{@code vault.kubernetes.role}</td><td>none</td><td>Kubernetes auth (instead of a token or AppRole): logs in
 *     with the service account token in {@code vault.kubernetes.jwt-path} (default
 *     {@code /var/run/secrets/kubernetes.io/serviceaccount/token}) at the auth mount {@code vault.kubernetes.path}
 *     (default {@code kubernetes})</td></tr>
 * <tr><td>{@code vault.timeout}</td><td>{@code PT2S}</td><td>connect and read timeout of each Vault call</td></tr>
 * </table>
 * Sources are loaded once by {@link #create(Config)} and then every {@code refresh-interval} on a virtual thread;
 * {@link #get(String)} only reads the cache. A source that fails keeps its last values. A secret that every source
 * answering no longer provides (deleted from Vault, its file or variable removed) is gone at that refresh:
 * {@link #get(String)} is empty from then on, so a revoked key stops being used without a restart. Every value
 * loaded is registered with {@link Redactor#registerSecret(String)}, so logs print {@value Redactor#MASK} instead.
 * Thread safe.
 */
public final class Secrets implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Secrets.class);

    // configuration
    private final SecretsConfig config;
    private final InstantSource clock;
    private final String chain;

    // runtime: refreshes run one at a time; readers see the cache's last published snapshot
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final ScheduledExecutorService scheduler;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final SecretCache cache;
    private volatile boolean closed;

    private Secrets(SecretsConfig config, List<SecretSource> sources, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        this.chain = String.join(", ", config.sources());
        this.cache = new SecretCache(sources, chain);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("dharma-secrets-refresh").factory());
    }

    /**
     * Create the secrets from the {@code secrets} config node, load every source once and start the periodic refresh.
     * A source that cannot be reached now does not fail this call: readiness reports it and later refreshes retry.
     *
     * @param secretsNode the {@code secrets} node (may be missing: files then env, with the defaults)
     * @return running secrets; {@link #close()} them on shutdown
     * @throws SecretsConfigException when the configuration is invalid
     */
    public static Secrets create(Config secretsNode) {
        return create(SecretsConfig.create(secretsNode), System.getenv(), InstantSource.system());
    }

    static Secrets create(SecretsConfig config, Map<String, String> environment, InstantSource clock) {
        List<SecretSource> sources = new ArrayList<>();
        for (String id : config.sources()) {
            sources.add(switch (id) {
                case SecretsConfig.ENV -> new EnvSource(config.envPrefix(), environment);
                case SecretsConfig.FILES -> new FileSource(config.filesDirectory());
                case SecretsConfig.VAULT -> new VaultSource(config.vault().orElseThrow());
                default -> throw new SecretsConfigException("Unknown secret source " + id);
            });
        }
        Secrets secrets = new Secrets(config, sources, clock);
        secrets.refresh();
        secrets.scheduleNext();
        LOGGER.info("Secrets loaded from [{}]; refresh every {}", secrets.chain, config.refreshInterval());
        return secrets;
    }

    /**
     * The value of a secret, from the cache (never calls a source).
     *
     * @param name secret name, e.g. {@code jwt-signing-key}
     * @return the value; empty when no source has ever provided it
     */
    public Optional<String> get(String name) {
        return cache.get(name);
    }

    /**
     * The value of a secret that must exist.
     *
     * @param name secret name
     * @return the value
     * @throws SecretNotFoundException when no source has ever provided it (the message names the secret only)
     */
    public String require(String name) {
        return get(name).orElseThrow(() -> new SecretNotFoundException(name, chain));
    }

    /**
     * Listen for new values of a secret: called on the thread running the refresh (the scheduler's virtual thread, or
     * the caller of {@link #refresh()}), once per refresh that changes the value (a rotation, or the first time the
     * secret appears). Not called for the current value, nor when the secret disappears. A listener that throws is
     * logged and does not stop the others.
     *
     * @param name     secret name
     * @param listener receives the new value; must not block for long
     */
    public void onChange(String name, Consumer<String> listener) {
        listeners.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /**
     * Reload every source now and notify listeners of changed values; waits for a refresh already running. A source
     * that fails keeps its cached values (see {@link #readinessCheck()}); this method does not throw for it.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void refresh() {
        if (closed) {
            throw new IllegalStateException("Secrets are closed");
        }
        reloadAndNotify();
    }

    /**
     * Readiness check {@code secrets}: UP while every required secret ({@code secrets.required}) has been loaded, even
     * when a source no longer answers (cached values keep the service up; details then say
     * {@code "vault": "unreachable since <time>"}); DOWN while a required secret has never been loaded.
     *
     * @return readiness check, answered from memory
     */
    public HealthCheck readinessCheck() {
        return new ReadinessCheck(this);
    }

    /**
     * Stop the periodic refresh. Cached values stay readable.
     */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }

    List<SourceState> sourceStates() {
        return cache.states();
    }

    Optional<Instant> lastRefresh() {
        return cache.lastRefresh();
    }

    List<String> missingRequired() {
        return config.required().stream().filter(name -> get(name).isEmpty()).toList();
    }

    private void reloadAndNotify() {
        refreshLock.lock();
        try {
            List<SourceState> loaded = cache.states().stream().map(this::load).toList();
            Set<String> watched = new HashSet<>(listeners.keySet());
            watched.addAll(config.required());
            cache.update(loaded, watched, clock.instant()).forEach(this::notifyListeners);
        } finally {
            refreshLock.unlock();
        }
    }

    private SourceState load(SourceState state) {
        SecretSource source = state.source();
        try {
            Map<String, String> values = source.load();
            values.values().forEach(Redactor::registerSecret);
            if (!state.healthy()) {
                LOGGER.info("Secret source {} answers again", source.id());
            }
            return state.succeeded(values);
        } catch (RuntimeException e) {
            String failure = describe(e);
            if (state.healthy() && !closed) {
                // no message and no stack trace: they may quote what the source returned
                LOGGER.warn("Secret source {} failed ({}); serving cached values", source.id(), failure);
            } else {
                LOGGER.debug("Secret source {} still fails ({})", source.id(), failure);
            }
            return state.failed(clock.instant(), failure);
        }
    }

    private void notifyListeners(String name, String value) {
        for (Consumer<String> listener : listeners.getOrDefault(name, List.of())) {
            try {
                listener.accept(value);
            } catch (RuntimeException e) {
                LOGGER.warn("Listener for secret '{}' failed", name, e);
            }
        }
    }

    private void scheduleNext() {
        boolean failing = cache.states().stream().anyMatch(state -> !state.healthy());
        Duration delay = failing ? config.retryInterval() : config.refreshInterval();
        try {
            scheduler.schedule(this::scheduledRefresh, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void scheduledRefresh() {
        if (closed) {
            return;
        }
        try {
            reloadAndNotify();
        } catch (RuntimeException e) {
            LOGGER.warn("Secrets refresh failed ({})", describe(e));
        }
        if (!closed) {
            scheduleNext();
        }
    }

    /** Exception types and HTTP status, e.g. {@code VaultRestException (403)}; messages may quote secret values. */
    static String describe(Throwable failure) {
        StringBuilder description = new StringBuilder(failure.getClass().getSimpleName());
        if (failure instanceof ApiRestException rest) {
            description.append(" (").append(rest.status().code()).append(')');
        }
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        if (root != failure) {
            description.append(" caused by ").append(root.getClass().getSimpleName());
        }
        return description.toString();
    }
}
