package io.dharma.errors;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.dharma.testing.RawHttp;
import io.dharma.testing.RawHttp.Answer;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertNoInternals;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The guard alone in front of a few routes: requests that different readers could read differently (paths not in
 * normal form, ambiguous framing, unparsable content type or accept headers) are 4xx problems before any filter
 * reads them, and an exception a later filter lets escape is still answered as a problem, with the headers filters
 * kept for it.
 */
@ServerTest
class RequestGuardTest {
    private final RawHttp raw;

    RequestGuardTest(URI uri) {
        this.raw = RawHttp.create(uri.getPort(), Duration.ofSeconds(10));
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        ErrorHandler<Throwable> handler = Errors.errorHandler(ErrorsConfig.create(), List.of());
        routing.error(Throwable.class, handler)
                .addFilter(Errors.guard(handler))
                .addFilter((chain, req, res) -> {
                    String path = req.prologue().uriPath().path();
                    SurvivingHeaders kept = SurvivingHeaders.of(req.context());
                    kept.set(res, HeaderValues.create("X-Kept", "yes"));
                    kept.add(r -> r.header("X-Written", "again"));
                    if (path.equals("/filter-fails")) {
                        throw new IllegalStateException("secret detail of a filter");
                    }
                    if (path.equals("/filter-overflows")) {
                        throw new StackOverflowError();
                    }
                    chain.proceed();
                })
                .get("/api/things", (req, res) -> res.send("things"))
                .post("/api/things", (req, res) -> res.send(req.content().as(String.class)))
                .get("/api/fails", (req, res) -> {
                    throw ApiException.conflict("Already there");
                });
    }

    @Test
    void aPathInNormalFormPasses() {
        assertThat(get("/api/things", List.of()).status(), is(200));
        assertThat(get("/api/things?x=../y", List.of()).status(), is(200));
    }

    @Test
    void aPathNotInNormalFormIsABadRequest() {
        for (String path : List.of("/api/./things", "/api/../api/things", "/api//things", "/api/%2e%2E/things",
                                   "/api%2Fthings", "/api/%5cthings", "/api/.%2e/things")) {
            assertProblem(path, get(path, List.of()), 400, "BAD_REQUEST");
        }
    }

    @Test
    void aTrailingSlashIsNotFound() {
        assertProblem("/api/things/", get("/api/things/", List.of()), 404, "NOT_FOUND");
    }

    @Test
    void normalFormIsDecidedSegmentBySegment() {
        assertThat(RequestGuard.isNormal("/"), is(true));
        assertThat(RequestGuard.isNormal("/api/v1.2/file.tar.gz"), is(true));
        assertThat(RequestGuard.isNormal("/api/%41bc/"), is(true));
        assertThat(RequestGuard.isNormal("/api/..."), is(true));
        assertThat(RequestGuard.isNormal("/api/%2e"), is(false));
        assertThat(RequestGuard.isNormal("/api/a\\b"), is(false));
        assertThat(RequestGuard.isNormal("/api//"), is(false));
    }

    @Test
    void aContentTypeSentTwiceOrUnparsableIsABadRequest() {
        assertThat(post(List.of("Content-Type: text/plain", "Content-Type: text/plain"), "x").status(), is(400));
        Answer garbage = post(List.of("Content-Type: ;;"), "x");
        assertThat(garbage.body(), garbage.status(), is(400));
        assertThat(garbage.body(), containsString("header/Content-Type"));
    }

    @Test
    void aCharsetTheServiceCannotReadIsUnsupported() {
        Answer answer = post(List.of("Content-Type: text/plain; charset=no-such-charset"), "x");
        assertProblem("charset", answer, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(post(List.of("Content-Type: text/plain; charset=UTF-8"), "x").status(), is(200));
    }

    @Test
    void anAcceptHeaderWithAnUnknownCharsetOrNoMediaRangeIsABadRequest() {
        assertProblem("charset", get("/api/things", List.of("Accept: text/plain; charset=no-such-charset")), 400,
                      "BAD_REQUEST");
        assertProblem("garbage", get("/api/things", List.of("Accept: ;;")), 400, "BAD_REQUEST");
        assertThat(get("/api/things", List.of("Accept: text/plain; charset=utf-8, */*;q=0.1")).status(), is(200));
    }

    @Test
    void framingMustBeUnambiguous() {
        Answer both = raw.send("POST /api/things HTTP/1.1",
                               List.of("Content-Type: text/plain", "Content-Length: 1", "Transfer-Encoding: chunked"),
                               "1\r\nx\r\n0\r\n\r\n");
        assertThat(both.body(), both.status(), is(400));
        Answer gzip = raw.send("POST /api/things HTTP/1.1",
                               List.of("Content-Type: text/plain", "Transfer-Encoding: gzip"), "");
        assertThat(gzip.body(), gzip.status(), is(400));
    }

    @Test
    void anExceptionFromALaterFilterIsAProblemWithoutInternals() {
        Answer failed = get("/filter-fails", List.of());
        assertProblem("filter", failed, 500, "INTERNAL_ERROR");
        assertThat(failed.body(), failed.body().contains("secret detail"), is(false));
        assertProblem("overflow", get("/filter-overflows", List.of()), 500, "INTERNAL_ERROR");
    }

    @Test
    void headersKeptByFiltersSurviveAnErrorAnswer() {
        Answer failed = get("/api/fails", List.of());
        assertProblem("handler", failed, 409, "CONFLICT");
        assertThat(failed.header("X-Kept").orElse(""), is("yes"));
        assertThat(failed.header("X-Written").orElse(""), is("again"));
        Answer ok = get("/api/things", List.of());
        assertThat(ok.header("X-Kept").orElse(""), is("yes"));
    }

    private Answer get(String target, List<String> headers) {
        return raw.send("GET " + target + " HTTP/1.1", headers, "");
    }

    private Answer post(List<String> headers, String body) {
        return raw.send("POST /api/things HTTP/1.1", headers, body);
    }

    private static void assertProblem(String context, Answer answer, int status, String code) {
        assertThat(context + ": " + answer.body(), answer.status(), is(status));
        assertThat(context, answer.header("Content-Type").orElse(""), startsWith("application/problem+json"));
        assertThat(context, answer.body(), containsString("\"code\":\"" + code + "\""));
        assertNoInternals(answer.body());
    }
}
