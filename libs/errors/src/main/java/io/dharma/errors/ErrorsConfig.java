package io.dharma.errors;

import java.util.List;

import io.helidon.config.Config;

/**
 * Configuration of the {@code errors} root key.
 *
 * @param typeBase       base URI of problem {@code type}s; the code's slug is appended
 * @param maxBodySize    largest accepted request body in bytes (413 above it)
 * @param jsonPaths      path prefixes whose request bodies must be JSON (415 otherwise)
 */
public record ErrorsConfig(String typeBase, long maxBodySize, List<String> jsonPaths) {
    /** Default problem type base. */
    public static final String DEFAULT_TYPE_BASE = "https://dharma.io/problems/";
    /** Default body limit: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;
    /** Default prefixes whose bodies must be JSON. */
    public static final List<String> DEFAULT_JSON_PATHS = List.of("/api/");

    /**
     * Validates the values.
     */
    public ErrorsConfig {
        if (maxBodySize <= 0) {
            throw new ErrorsConfigException("errors.max-body-size must be positive, got " + maxBodySize);
        }
        jsonPaths = List.copyOf(jsonPaths);
    }

    /**
     * Defaults for every key.
     *
     * @return default configuration
     */
    public static ErrorsConfig create() {
        return new ErrorsConfig(DEFAULT_TYPE_BASE, DEFAULT_MAX_BODY_SIZE, DEFAULT_JSON_PATHS);
    }

    /**
     * Read from the {@code errors} node.
     *
     * @param errors the {@code errors} config node (may be missing)
     * @return configuration
     */
    public static ErrorsConfig create(Config errors) {
        return new ErrorsConfig(errors.get("type-base").asString().orElse(DEFAULT_TYPE_BASE),
                                errors.get("max-body-size").asLong().orElse(DEFAULT_MAX_BODY_SIZE),
                                errors.get("json-paths").asList(String.class).orElse(DEFAULT_JSON_PATHS));
    }
}
