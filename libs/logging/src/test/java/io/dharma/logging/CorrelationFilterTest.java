package io.dharma.logging;

import java.util.List;
import java.util.Optional;

import io.helidon.common.testing.http.junit5.SocketHttpClient;
import io.helidon.http.ClientResponseHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

@ServerTest
class CorrelationFilterTest {
    private static final String UUID_REGEX = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    // written by a filter registered before the correlation filter: what the MDC held when the request arrived
    private static final HeaderName MDC_ON_ARRIVAL = HeaderNames.create("X-Mdc-On-Arrival");
    private static final HeaderName THREAD = HeaderNames.create("X-Thread");

    private final Http1Client client;
    private final SocketHttpClient socketClient;

    CorrelationFilterTest(Http1Client client, SocketHttpClient socketClient) {
        this.client = client;
        this.socketClient = socketClient;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(CorrelationFilterTest::probe)
                .addFilter(Logging.correlationFilter())
                // what the handler sees: MDC value | CorrelationId.current()
                .get("/id", (req, res) -> res.send(MDC.get(CorrelationId.MDC_KEY) + "|"
                                                           + CorrelationId.current().orElse("none")));
    }

    @Test
    void validIncomingIdIsEchoedAndVisibleToTheHandler() {
        try (Http1ClientResponse response = client.get("/id").header(CorrelationId.HEADER_NAME, "abc-123_X.y").request()) {
            assertThat(response.headers().first(CorrelationId.HEADER_NAME).orElseThrow(), is("abc-123_X.y"));
            assertThat(response.as(String.class), is("abc-123_X.y|abc-123_X.y"));
        }
    }

    @Test
    void idOf128CharactersIsAccepted() {
        String id = "a".repeat(128);
        assertThat(requestWith(CorrelationId.HEADER_NAME, id), is(id));
    }

    @Test
    void requestIdIsAcceptedWhenCorrelationIdIsAbsent() {
        assertThat(requestWith(CorrelationId.REQUEST_ID_HEADER_NAME, "req-77"), is("req-77"));
    }

    @Test
    void correlationIdWinsOverRequestId() {
        try (Http1ClientResponse response = client.get("/id")
                .header(CorrelationId.HEADER_NAME, "corr-1")
                .header(CorrelationId.REQUEST_ID_HEADER_NAME, "req-1")
                .request()) {
            assertThat(response.as(String.class), is("corr-1|corr-1"));
        }
    }

    @Test
    void requestIdIsUsedWhenCorrelationIdIsInvalid() {
        try (Http1ClientResponse response = client.get("/id")
                .header(CorrelationId.HEADER_NAME, "bad id!")
                .header(CorrelationId.REQUEST_ID_HEADER_NAME, "req-2")
                .request()) {
            assertThat(response.as(String.class), is("req-2|req-2"));
        }
    }

    @Test
    void idLongerThan128CharactersIsReplacedByUuid() {
        String id = "a".repeat(129);
        String used = requestWith(CorrelationId.HEADER_NAME, id);
        assertUuid(used);
    }

    @Test
    void idWithForbiddenCharactersIsReplacedByUuid() {
        assertUuid(requestWith(CorrelationId.HEADER_NAME, "bad id!"));
        assertUuid(requestWith(CorrelationId.HEADER_NAME, "<script>"));
        assertUuid(requestWith(CorrelationId.REQUEST_ID_HEADER_NAME, "a;b"));
    }

    @Test
    void emptyIdIsReplacedByUuid() {
        String response = socketClient.sendAndReceive(Method.GET, "/id", null, List.of("X-Correlation-Id: "));
        String echoed = SocketHttpClient.headersFromResponse(response).first(CorrelationId.HEADER_NAME).orElseThrow();
        assertUuid(echoed);
        assertThat(SocketHttpClient.entityFromResponse(response, true), is(echoed + "|" + echoed));
    }

    @Test
    void missingIdIsGeneratedAndEchoed() {
        try (Http1ClientResponse response = client.get("/id").request()) {
            String echoed = response.headers().first(CorrelationId.HEADER_NAME).orElseThrow();
            assertUuid(echoed);
            assertThat(response.as(String.class), is(echoed + "|" + echoed));
        }
    }

    @Test
    void mdcIsClearedBetweenRequestsOnOneKeepAliveConnection() {
        String first = socketClient.sendAndReceive(Method.GET, "/id", null, List.of("X-Correlation-Id: first-request"));
        String second = socketClient.sendAndReceive(Method.GET, "/id", null, List.of());
        ClientResponseHeaders firstHeaders = SocketHttpClient.headersFromResponse(first);
        ClientResponseHeaders secondHeaders = SocketHttpClient.headersFromResponse(second);

        // same connection, same virtual thread: the case where a leftover MDC value would leak
        assertThat(secondHeaders.first(THREAD), is(firstHeaders.first(THREAD)));
        assertThat(secondHeaders.first(MDC_ON_ARRIVAL).orElseThrow(), is("none"));
        String secondId = secondHeaders.first(CorrelationId.HEADER_NAME).orElseThrow();
        assertThat(secondId, not("first-request"));
        assertThat(SocketHttpClient.entityFromResponse(second, true), is(secondId + "|" + secondId));
    }

    private String requestWith(HeaderName header, String value) {
        try (Http1ClientResponse response = client.get("/id").header(header, value).request()) {
            String echoed = response.headers().first(CorrelationId.HEADER_NAME).orElseThrow();
            assertThat(response.as(String.class), is(echoed + "|" + echoed));
            return echoed;
        }
    }

    private static void assertUuid(String id) {
        assertThat("expected a generated UUID, got " + id, id.matches(UUID_REGEX), is(true));
    }

    private static void probe(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(MDC_ON_ARRIVAL, Optional.ofNullable(MDC.get(CorrelationId.MDC_KEY)).orElse("none"));
        res.header(THREAD, String.valueOf(Thread.currentThread().threadId()));
        chain.proceed();
    }
}
