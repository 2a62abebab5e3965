package io.dharma.logging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.helidon.config.Config;

/**
 * Masks secrets and personal data in text before it is written to a log.
 * <p>
 * Masked, each replaced by {@value #MASK}:
 * <ul>
 *     <li>every value registered with {@link #registerSecret(String)} (exact match, always, even when disabled)</li>
 *     <li>values of {@code key=value}, {@code key: value} and {@code "key":"value"} pairs whose key ends with a
 *     sensitive key (the key stays; case, {@code -} and {@code _} are ignored, so {@code api-key} covers
 *     {@code X-Api-Key} and {@code apiKey})</li>
 *     <li>{@code Bearer <token>} and {@code Basic <credentials>}, JWTs, AWS access key ids, e-mail addresses</li>
 *     <li>card numbers (13 to 19 digits, optional spaces or dashes) that pass the Luhn check and stand as their own
 *     token (URL and JSON escapes such as {@code %3A} or {@code \n} count as boundaries), not inside an identifier
 *     such as a hex trace id or a UUID</li>
 *     <li>whatever matches the extra {@code patterns}</li>
 * </ul>
 * Config (the {@code logging.redaction} node): {@code enabled} (default {@code true}), {@code keys} (replaces the
 * defaults: password, passwd, secret, token, access_token, refresh_token, authorization, cookie, set-cookie, api-key,
 * apikey, x-api-key, client_secret, private_key, credentials), {@code patterns} (extra regular expressions).
 * Instances are immutable and thread safe.
 */
public final class Redactor {
    /**
     * Text written in place of every masked value.
     */
    public static final String MASK = "[REDACTED]";
    // sensitive keys used when logging.redaction.keys is not configured
    static final List<String> DEFAULT_KEYS = List.of("password", "passwd", "secret", "token", "access_token",
                                                            "refresh_token", "authorization", "cookie", "set-cookie",
                                                            "api-key", "apikey", "x-api-key", "client_secret",
                                                            "private_key", "credentials");
    /**
     * Registered secrets shorter than this are ignored (they would mask ordinary words and numbers).
     */
    static final int MIN_SECRET_LENGTH = 4;
    private static final int MAX_CACHED_FIELD_NAMES = 2048;
    private static final int REMEMBERED_SLOTS = 1024;
    private static final int MAX_REMEMBERED_LENGTH = 160;

    // registered secrets, shared by every instance; copy-on-write, longest first so overlapping values mask fully
    private static final Object SECRETS_LOCK = new Object();
    private static volatile String[] secrets = new String[0];
    private static volatile Redactor current = new Redactor(true, DEFAULT_KEYS, List.of());

    // configuration
    private final boolean enabled;
    private final RedactionRules rules;
    // runtime: field name -> sensitive, so JSON field names are normalized once
    private final Map<String, Boolean> fieldNameCache = new ConcurrentHashMap<>();
    // runtime: short texts found clean, by hash; most values of a log line repeat (logger, thread, service, route,
    // client, user) and then cost a look-up instead of a scan; only clean texts are kept, so no secret stays here
    private final Clean[] remembered = new Clean[REMEMBERED_SLOTS];

    private Redactor(boolean enabled, List<String> keys, List<Pattern> extraPatterns) {
        this.enabled = enabled;
        this.rules = new RedactionRules(keys, extraPatterns);
    }

    /**
     * The redactor used by the log encoders: the one configured by {@link Logging#configure}, or the defaults.
     *
     * @return current redactor
     */
    public static Redactor current() {
        return current;
    }

    /**
     * Registers a value that must never appear in a log, e.g. a password read from a secret store. Values shorter
     * than four characters are ignored. Registration is global and also applies to redactors configured later.
     *
     * @param value secret value, masked wherever it appears (exact match)
     */
    public static void registerSecret(String value) {
        if (value.length() < MIN_SECRET_LENGTH) {
            return;
        }
        synchronized (SECRETS_LOCK) {
            String[] existing = secrets;
            if (Arrays.asList(existing).contains(value)) {
                return;
            }
            String[] updated = Arrays.copyOf(existing, existing.length + 1);
            updated[existing.length] = value;
            Arrays.sort(updated, Comparator.comparingInt(String::length).reversed());
            secrets = updated;
        }
    }

    /**
     * Returns the text with every secret replaced by {@value #MASK}.
     *
     * @param text text to redact
     * @return redacted text, the same instance when nothing was masked
     */
    public String redact(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String[] known = secrets;
        if (text.length() > MAX_REMEMBERED_LENGTH) {
            return redact(text, known);
        }
        int slot = text.hashCode() & (REMEMBERED_SLOTS - 1);
        Clean clean = remembered[slot];
        if (clean != null && clean.secrets() == known && clean.text().equals(text)) {
            return text;
        }
        String result = redact(text, known);
        if (result == text) {
            remembered[slot] = new Clean(text, known);
        }
        return result;
    }

    private String redact(String text, String[] known) {
        String result = text;
        for (String secret : known) {
            if (result.contains(secret)) {
                result = result.replace(secret, MASK);
            }
        }
        return enabled ? rules.apply(result) : result;
    }

    static Redactor create(Config redactionNode) {
        boolean enabled = redactionNode.get("enabled").asBoolean().orElse(true);
        List<String> keys = redactionNode.get("keys").asList(String.class).orElse(DEFAULT_KEYS);
        List<Pattern> patterns = new ArrayList<>();
        for (String regex : redactionNode.get("patterns").asList(String.class).orElse(List.of())) {
            try {
                patterns.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new LoggingConfigException("Invalid regular expression in logging.redaction.patterns: " + regex, e);
            }
        }
        return new Redactor(enabled, keys, patterns);
    }

    static void current(Redactor redactor) {
        current = redactor;
    }

    /**
     * Whether a field (JSON field, MDC key, structured argument) with this name holds a secret.
     */
    boolean isSensitiveKey(String fieldName) {
        if (!enabled) {
            return false;
        }
        Boolean cached = fieldNameCache.get(fieldName);
        if (cached != null) {
            return cached;
        }
        boolean sensitive = rules.isSensitive(RedactionRules.normalize(fieldName));
        if (fieldNameCache.size() < MAX_CACHED_FIELD_NAMES) {
            fieldNameCache.put(fieldName, sensitive);
        }
        return sensitive;
    }

    boolean enabled() {
        return enabled;
    }

    /** A text that had nothing to mask with these registered secrets (a new secret makes it unknown again). */
    private record Clean(String text, String[] secrets) {
    }
}
