package io.dharma.openapi;

import io.helidon.config.Config;

/**
 * Configuration of the {@code openapi} root key.
 * <pre>
 * openapi:
 *   path: /openapi              # where the document is served (YAML; JSON with Accept: application/json or ?format=JSON)
 *   validate-requests: true     # parameters, headers, content type and body checked before the handler: 400 / 415
 *   validate-responses: false   # every response checked after the handler; a broken one becomes a 500 (tests, staging)
 * </pre>
 *
 * @param path              where the document is served; its shared components at {@code path + "/problem.yaml"}
 * @param validateRequests  whether requests are validated against the document before any handler runs
 * @param validateResponses whether responses are validated against the document; a response that breaks it is logged,
 *                          counted ({@code openapi.response.violations}) and replaced by a 500 problem naming the
 *                          violations. Meant for test suites and staging, not production: it buffers every body
 */
public record OpenApiConfig(String path, boolean validateRequests, boolean validateResponses) {
    /** Default path of the served document. */
    public static final String DEFAULT_PATH = "/openapi";
    /** Requests are validated unless turned off. */
    public static final boolean DEFAULT_VALIDATE_REQUESTS = true;
    /** Responses are not validated unless turned on. */
    public static final boolean DEFAULT_VALIDATE_RESPONSES = false;

    /**
     * Validates the values.
     */
    public OpenApiConfig {
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException("openapi.path must start with '/', name something and not end with '/', got "
                                                       + path);
        }
    }

    /**
     * Defaults for every key.
     *
     * @return default configuration
     */
    public static OpenApiConfig create() {
        return new OpenApiConfig(DEFAULT_PATH, DEFAULT_VALIDATE_REQUESTS, DEFAULT_VALIDATE_RESPONSES);
    }

    /**
     * Read from the {@code openapi} node.
     *
     * @param openapi the {@code openapi} config node (may be missing)
     * @return configuration
     */
    public static OpenApiConfig create(Config openapi) {
        return new OpenApiConfig(openapi.get("path").asString().orElse(DEFAULT_PATH),
                                 openapi.get("validate-requests").asBoolean().orElse(DEFAULT_VALIDATE_REQUESTS),
                                 openapi.get("validate-responses").asBoolean().orElse(DEFAULT_VALIDATE_RESPONSES));
    }
}
