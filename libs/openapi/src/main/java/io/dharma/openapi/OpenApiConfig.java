package io.dharma.openapi;

import io.helidon.config.Config;

/**
 * Configuration of the {@code openapi} root key.
 * <pre>
 * openapi:
 *   path: /openapi              # where the document is served (YAML; JSON with Accept: application/json or ?format=JSON)
 *   validate-requests: true     # parameters, headers, content type and body checked before the handler: 400 / 415
 *   validate-responses: false   # every response checked after the handler; a broken one becomes a 500 (tests, staging)
 *   ui:
 *     enabled: false            # the document rendered as a page (Swagger UI); on in development, off in production
 *     path: /openapi/ui         # default: path + "/ui"
 * </pre>
 *
 * @param path              where the document is served; its shared components at {@code path + "/problem.yaml"}
 * @param validateRequests  whether requests are validated against the document before any handler runs
 * @param validateResponses whether responses are validated against the document; a response that breaks it is logged,
 *                          counted ({@code openapi.response.violations}) and replaced by a 500 problem naming the
 *                          violations. Meant for test suites and staging, not production: it buffers every body
 * @param ui                the API reference page ({@code ui})
 */
public record OpenApiConfig(String path, boolean validateRequests, boolean validateResponses, Ui ui) {
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
        requirePath("openapi.path", path);
        if (ui.path().equals(path) || ui.path().equals(path + "/" + OpenApi.SHARED_FILE)) {
            throw new OpenApiConfigException("openapi.ui.path must differ from the document's paths, got " + ui.path());
        }
    }

    /**
     * Without the API reference page.
     *
     * @param path              where the document is served
     * @param validateRequests  whether requests are validated
     * @param validateResponses whether responses are validated
     */
    public OpenApiConfig(String path, boolean validateRequests, boolean validateResponses) {
        this(path, validateRequests, validateResponses, Ui.off(requirePath("openapi.path", path)));
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
        String path = requirePath("openapi.path", openapi.get("path").asString().orElse(DEFAULT_PATH));
        Config ui = openapi.get("ui");
        return new OpenApiConfig(path,
                                 openapi.get("validate-requests").asBoolean().orElse(DEFAULT_VALIDATE_REQUESTS),
                                 openapi.get("validate-responses").asBoolean().orElse(DEFAULT_VALIDATE_RESPONSES),
                                 new Ui(ui.get("enabled").asBoolean().orElse(Ui.DEFAULT_ENABLED),
                                        ui.get("path").asString().orElse(Ui.defaultPath(path))));
    }

    private static String requirePath(String key, String path) {
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new OpenApiConfigException(key + " must start with '/', name something and not end with '/', got "
                                                       + path);
        }
        return path;
    }

    /**
     * The API reference page: the document rendered by Swagger UI, served by the service itself (no other origin, no
     * inline script), for people to read the API and try it out.
     *
     * @param enabled whether the page is served ({@code enabled}); off unless turned on: a development aid, not part of
     *                the API
     * @param path    where the page is served ({@code path}, default {@code <openapi.path>/ui}); its scripts, styles
     *                and icons below it. Outside {@code openapi.path} it needs its own entries in
     *                {@code security.public} and {@code rate-limit.exempt}
     */
    public record Ui(boolean enabled, String path) {
        /** The page is off unless turned on. */
        public static final boolean DEFAULT_ENABLED = false;
        /** Default path below the document's path. */
        public static final String DEFAULT_SUFFIX = "/ui";

        /**
         * Validates the values.
         */
        public Ui {
            requirePath("openapi.ui.path", path);
        }

        /**
         * The page off, at its default path.
         *
         * @param documentPath {@code openapi.path}
         * @return configuration
         */
        public static Ui off(String documentPath) {
            return new Ui(false, defaultPath(documentPath));
        }

        /**
         * The default path of the page.
         *
         * @param documentPath {@code openapi.path}
         * @return {@code documentPath + "/ui"}
         */
        public static String defaultPath(String documentPath) {
            return documentPath + DEFAULT_SUFFIX;
        }
    }
}
