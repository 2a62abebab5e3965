package io.dharma.openapi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.dharma.errors.ErrorCode;
import io.dharma.errors.Problem;
import io.dharma.errors.Problems;
import io.dharma.logging.CorrelationId;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every response to an operation of the document (status, headers, content type and body) once the handler or
 * a filter has written it. The body is captured by a response stream filter and held back until it is complete; a
 * response that breaks the contract is logged, counted in {@value #VIOLATIONS} and replaced by a 500 INTERNAL_ERROR
 * problem whose detail lists the violations, so the test that made the request fails on it. Installed early in the
 * pipeline, so the problems later filters answer (401, 429, 400) are checked too.
 */
final class ResponseValidationFilter implements Filter {
    /** Counter of responses that broke the contract, by method, path template and original status. */
    static final String VIOLATIONS = "openapi.response.violations";
    private static final Logger LOGGER = LoggerFactory.getLogger(ResponseValidationFilter.class);

    private final Contract contract;
    private final MeterRegistry registry;

    ResponseValidationFilter(Contract contract, MeterRegistry registry) {
        this.contract = contract;
        this.registry = registry;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Method method = req.prologue().method();
        Optional<Operation> operation = contract.operation(method, req.path()).map(Contract.Match::operation);
        if (operation.isEmpty() || method == Method.HEAD) {
            chain.proceed();
            return;
        }
        String rawPath = req.path().rawPath();
        List<CapturingStream> streams = new ArrayList<>(1);
        res.streamFilter(out -> {
            CapturingStream stream = new CapturingStream(out, req, res, operation.get(), rawPath);
            streams.add(stream);
            return stream;
        });
        try {
            chain.proceed();
        } finally {
            // a media writer may flush without closing; the response is committed only after routing returns
            streams.forEach(CapturingStream::close);
        }
    }

    /** Holds the body back until it is complete, then checks it and writes it (or the 500 that replaces it). */
    private final class CapturingStream extends ByteArrayOutputStream {
        private final OutputStream delegate;
        private final RoutingRequest req;
        private final RoutingResponse res;
        private final Operation operation;
        private final String rawPath;
        private boolean closed;

        CapturingStream(OutputStream delegate, RoutingRequest req, RoutingResponse res, Operation operation,
                        String rawPath) {
            this.delegate = delegate;
            this.req = req;
            this.res = res;
            this.operation = operation;
            this.rawPath = rawPath;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            byte[] body = toByteArray();
            int status = res.status().code();
            List<String> violations = operation.responses().check(operation, status, res.headers(), body);
            if (!violations.isEmpty()) {
                LOGGER.error("Response breaks the API contract: {} {} answered {}: {}", operation.method().text(),
                             operation.template(), status, String.join("; ", violations));
                counter(status).increment();
                body = replacement(violations);
            }
            try (delegate) {
                delegate.write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] replacement(List<String> violations) {
            Problem problem = Problems.problem(ErrorCode.INTERNAL_ERROR,
                                               "The response broke the API contract (openapi.validate-responses): "
                                                       + String.join("; ", violations),
                                               rawPath,
                                               CorrelationId.from(req.context()).orElse(""),
                                               List.of());
            res.status(ErrorCode.INTERNAL_ERROR.status());
            res.headers().remove(HeaderNames.ETAG);
            res.headers().remove(HeaderNames.LOCATION);
            res.headers().remove(HeaderNames.CONTENT_LENGTH);
            res.headers().set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
            return problem.toJson().toString().getBytes(StandardCharsets.UTF_8);
        }

        private Counter counter(int status) {
            return registry.getOrCreate(Counter.builder(VIOLATIONS)
                                                .description("Responses that broke the API contract")
                                                .tags(List.of(Tag.create("method", operation.method().text()),
                                                              Tag.create("uri", operation.template()),
                                                              Tag.create("status", Integer.toString(status)))));
        }
    }
}
