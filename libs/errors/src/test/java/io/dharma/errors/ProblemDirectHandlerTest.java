package io.dharma.errors;

import java.io.ByteArrayInputStream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import io.helidon.http.DirectHandler;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.DirectHandler.TransportRequest;
import io.helidon.http.DirectHandler.TransportResponse;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Whatever status and event Helidon hands the direct handler, the answer's status, the problem's {@code status} member
 * and the status of the problem's {@code code} are one and the same.
 */
class ProblemDirectHandlerTest {
    private final DirectHandler handler = Errors.directHandler();

    @Test
    void theAnswerTheProblemAndItsCodeAgreeOnTheStatus() {
        for (int code = 400; code < 600; code++) {
            for (EventType type : EventType.values()) {
                for (String message : new String[] {"Header size exceeded", "Request URI too long.", "x"}) {
                    TransportResponse res = handle(type, Status.create(code), message);
                    JsonObject problem = Json.createReader(new ByteArrayInputStream(res.entity().orElseThrow()))
                            .readObject();
                    String context = type + " " + code + " " + message;
                    assertThat(context, problem.getInt("status"), is(res.status().code()));
                    assertThat(context, ErrorCode.valueOf(problem.getString("code")).status().code(),
                               is(res.status().code()));
                }
            }
        }
    }

    @Test
    void everyStatusOfTheCatalogIsAnsweredAsItIs() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.name(), handle(EventType.OTHER, code.status(), "x").status().code(),
                       is(code.status().code()));
        }
    }

    @Test
    void onlyTheHeaderLimitOfABadRequestBecomes431() {
        assertThat(handle(EventType.BAD_REQUEST, Status.BAD_REQUEST_400, "Header size exceeded").status().code(),
                   is(431));
        assertThat(handle(EventType.BAD_REQUEST, Status.BAD_REQUEST_400, "Invalid header").status().code(), is(400));
        assertThat(handle(EventType.OTHER, Status.BAD_REQUEST_400, "Header size exceeded").status().code(), is(400));
    }

    private TransportResponse handle(EventType type, Status status, String message) {
        return handler.handle(TransportRequest.empty(), type, status, ServerResponseHeaders.create(), message);
    }
}
