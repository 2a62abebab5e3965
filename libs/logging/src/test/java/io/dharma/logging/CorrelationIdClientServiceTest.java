package io.dharma.logging;

import java.net.URI;

import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

@ServerTest
class CorrelationIdClientServiceTest {
    private final Http1Client client;
    private final URI uri;

    CorrelationIdClientServiceTest(Http1Client client, URI uri) {
        this.client = client;
        this.uri = uri;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.addFilter(Logging.correlationFilter())
                // the downstream service: answers with the correlation id header it received
                .get("/echo", (req, res) -> res.send(req.headers().first(CorrelationId.HEADER_NAME).orElse("none")))
                // the upstream handler: calls /echo with a WebClient from inside request handling
                .get("/call", CorrelationIdClientServiceTest::call)
                .get("/call-with-own-header", CorrelationIdClientServiceTest::callWithOwnHeader)
                .get("/call-without-mdc", CorrelationIdClientServiceTest::callWithoutMdc);
    }

    @Test
    void outgoingCallCarriesTheIncomingCorrelationId() {
        try (Http1ClientResponse response = client.get("/call").header(CorrelationId.HEADER_NAME, "cid-42").request()) {
            assertThat(response.as(String.class), is("cid-42"));
        }
    }

    @Test
    void outgoingCallCarriesTheGeneratedCorrelationId() {
        try (Http1ClientResponse response = client.get("/call").request()) {
            String generated = response.headers().first(CorrelationId.HEADER_NAME).orElseThrow();
            assertThat(response.as(String.class), is(generated));
        }
    }

    @Test
    void requestContextIsUsedEvenWithoutMdc() {
        try (Http1ClientResponse response = client.get("/call-without-mdc")
                .header(CorrelationId.HEADER_NAME, "cid-44")
                .request()) {
            assertThat(response.as(String.class), is("cid-44"));
        }
    }

    @Test
    void headerSetByTheCallerIsKept() {
        try (Http1ClientResponse response = client.get("/call-with-own-header")
                .header(CorrelationId.HEADER_NAME, "cid-43")
                .request()) {
            assertThat(response.as(String.class), is("explicit-id"));
        }
    }

    @Test
    void mdcIsUsedOutsideRequestHandling() {
        WebClient webClient = clientWithService(uri);
        MDC.put(CorrelationId.MDC_KEY, "from-mdc");
        try {
            assertThat(webClient.get("/echo").requestEntity(String.class), is("from-mdc"));
        } finally {
            MDC.remove(CorrelationId.MDC_KEY);
        }
    }

    @Test
    void noHeaderIsAddedWithoutAnId() {
        assertThat(clientWithService(uri).get("/echo").requestEntity(String.class), is("none"));
    }

    private static void call(ServerRequest req, ServerResponse res) {
        res.send(clientWithService(localUri(req)).get("/echo").requestEntity(String.class));
    }

    private static void callWithoutMdc(ServerRequest req, ServerResponse res) {
        // only the request context is left to find the id in
        MDC.remove(CorrelationId.MDC_KEY);
        call(req, res);
    }

    private static void callWithOwnHeader(ServerRequest req, ServerResponse res) {
        res.send(clientWithService(localUri(req)).get("/echo")
                         .header(CorrelationId.HEADER_NAME, "explicit-id")
                         .requestEntity(String.class));
    }

    private static URI localUri(ServerRequest req) {
        return URI.create("http://localhost:" + req.localPeer().port());
    }

    private static WebClient clientWithService(URI base) {
        return WebClient.builder()
                .baseUri(base)
                .addService(CorrelationIdClientService.create())
                .build();
    }
}
