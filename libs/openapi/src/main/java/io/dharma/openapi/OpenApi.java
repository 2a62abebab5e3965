package io.dharma.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.spi.ServerFeature;

/**
 * A service's API contract: its checked-in OpenAPI document, served as is and enforced at runtime.
 * <pre>{@code
 * OpenApi.create(config.get("openapi")).ifPresent(openapi -> {
 *     server.addFeature(openapi.feature());                      // GET /openapi, /openapi/problem.yaml, /openapi/ui
 *     openapi.responseValidation().ifPresent(routing::addFilter); // early: sees every answer
 *     ...                                                         // authentication, rate limits, body limits
 *     openapi.requestValidation().ifPresent(routing::addFilter);  // last before the handlers
 * });
 * }</pre>
 * The document is {@value #DOCUMENT} on the class path (a service's {@code src/main/resources/META-INF/openapi.yaml}).
 * It refers to the shared problem schema, error responses, headers and security scheme of {@value #SHARED_DOCUMENT}
 * (in this library's jar) as {@code openapi/problem.yaml#/components/...}. The {@code DharmaService} bootstrap does all
 * of this when the document exists.
 */
public final class OpenApi {
    /** Class-path location of a service's document. */
    public static final String DOCUMENT = "META-INF/openapi.yaml";
    /** File name of the shared components, beside the document and the served path. */
    public static final String SHARED_FILE = "problem.yaml";
    /** Class-path location of the shared components. */
    public static final String SHARED_DOCUMENT = "META-INF/openapi/" + SHARED_FILE;

    private final OpenApiConfig config;
    private final String resource;
    /** Empty when neither requests nor responses are validated. */
    private final Optional<Contract> contract;

    private OpenApi(OpenApiConfig config, String resource, Optional<Contract> contract) {
        this.config = config;
        this.resource = resource;
        this.contract = contract;
    }

    /**
     * The contract of the service's {@value #DOCUMENT}, configured from the {@code openapi} node.
     *
     * @param openapi the {@code openapi} config node (may be missing)
     * @return the contract, empty if the class path has no {@value #DOCUMENT}
     * @throws InvalidDocumentException if the document is not a valid OpenAPI document or a reference does not resolve
     */
    public static Optional<OpenApi> create(Config openapi) {
        return create(OpenApiConfig.create(openapi), DOCUMENT);
    }

    /**
     * The contract of a document at another class-path location. Building it reads the document (and the documents
     * it refers to) and compiles every operation's parameters and schemas, unless both validations are off: then the
     * document is only served, and nothing of the validation is loaded.
     *
     * @param config   configuration
     * @param resource class-path resource of the document
     * @return the contract, empty if there is no such resource
     * @throws InvalidDocumentException if the document is not a valid OpenAPI document, a reference does not resolve or
     *                                  a schema uses what the validation does not support
     */
    public static Optional<OpenApi> create(OpenApiConfig config, String resource) {
        if (!config.validateRequests() && !config.validateResponses()) {
            return Optional.ofNullable(loader().getResource(resource))
                    .map(found -> new OpenApi(config, resource, Optional.empty()));
        }
        return Documents.bundle(loader(), resource)
                .map(document -> new OpenApi(config, resource, Optional.of(Contract.create(document, resource))));
    }

    /**
     * The configuration.
     *
     * @return configuration
     */
    public OpenApiConfig config() {
        return config;
    }

    /**
     * The filter that validates requests before the handlers; install it after authentication, rate limits and body
     * limits.
     *
     * @return the filter, empty when {@code openapi.validate-requests} is false
     */
    public Optional<Filter> requestValidation() {
        return contract.filter(c -> config.validateRequests()).map(RequestValidationFilter::new);
    }

    /**
     * The filter that validates responses; install it early, before any filter that answers a problem itself.
     *
     * @return the filter, empty unless {@code openapi.validate-responses} is true
     */
    public Optional<Filter> responseValidation() {
        return contract.filter(c -> config.validateResponses())
                .map(c -> new ResponseValidationFilter(c, Metrics.globalRegistry()));
    }

    /**
     * The server feature serving the document at {@code openapi.path}, the shared components beside it and, with
     * {@code openapi.ui.enabled}, the API reference page at {@code openapi.ui.path}.
     *
     * @return server feature
     * @throws InvalidDocumentException if a file of the page is missing (the {@code org.webjars:swagger-ui} jar)
     */
    public ServerFeature feature() {
        try (InputStream shared = loader().getResourceAsStream(SHARED_DOCUMENT)) {
            if (shared == null) {
                throw new InvalidDocumentException(SHARED_DOCUMENT + " is not on the class path");
            }
            Optional<SwaggerUi> ui = config.ui().enabled()
                    ? Optional.of(SwaggerUi.create(loader(), config.ui().path(), config.path()))
                    : Optional.empty();
            return new Serving(config.path(), resource, shared.readAllBytes(), ui);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context == null ? OpenApi.class.getClassLoader() : context;
    }
}
