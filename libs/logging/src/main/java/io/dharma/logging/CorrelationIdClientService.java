package io.dharma.logging;

import java.util.Optional;

import io.helidon.http.ClientRequestHeaders;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;

import org.slf4j.MDC;

/**
 * Propagates the correlation id to other services: adds {@value CorrelationId#HEADER} to every outgoing Helidon
 * WebClient request that does not already carry one. The id comes from the request context (see
 * {@link CorrelationId#current()}), or from the MDC when the call is made outside a Helidon context.
 * <p>
 * Usage: {@code WebClient.builder().addService(CorrelationIdClientService.create()).build()}.
 */
public final class CorrelationIdClientService implements WebClientService {
    private static final CorrelationIdClientService INSTANCE = new CorrelationIdClientService();

    private CorrelationIdClientService() {
    }

    /**
     * The client service (stateless, may be shared by any number of clients).
     *
     * @return correlation id client service
     */
    public static CorrelationIdClientService create() {
        return INSTANCE;
    }

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest clientRequest) {
        ClientRequestHeaders headers = clientRequest.headers();
        if (!headers.contains(CorrelationId.HEADER_NAME)) {
            CorrelationId.from(clientRequest.context())
                    .or(CorrelationId::current)
                    .or(CorrelationIdClientService::fromMdc)
                    .ifPresent(id -> headers.set(CorrelationId.HEADER_NAME, id));
        }
        return chain.proceed(clientRequest);
    }

    @Override
    public String type() {
        return "dharma-correlation-id";
    }

    private static Optional<String> fromMdc() {
        return Optional.ofNullable(MDC.get(CorrelationId.MDC_KEY)).filter(CorrelationId::isValid);
    }
}
