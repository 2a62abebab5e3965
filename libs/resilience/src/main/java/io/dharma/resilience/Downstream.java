package io.dharma.resilience;

import jakarta.json.JsonStructure;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.http.Method;

/**
 * A client of one downstream service, made resilient by its configuration: a per-attempt timeout, retries of
 * idempotent requests after transient failures, a circuit breaker and a bulkhead. Calls block (run them on virtual
 * threads, as Helidon handlers do) and carry the current correlation id.
 * <p>
 * A call either returns the downstream's answer (2xx, 3xx, 4xx: see {@link DownstreamResponse}) or throws a
 * {@link DownstreamException} (503 or 504 as a problem). Instances come from {@link Downstreams#get(String)}.
 */
public interface Downstream {
    /**
     * The downstream's configured name.
     *
     * @return name
     */
    String name();

    /**
     * Make a call.
     *
     * @param request the request
     * @return the downstream's answer, when it is a 2xx, 3xx or 4xx
     * @throws DownstreamException if the call was refused, failed or timed out
     */
    DownstreamResponse execute(DownstreamRequest request);

    /**
     * {@code GET path}, retried after transient failures.
     *
     * @param path path relative to the base URL, with an optional query string
     * @return the downstream's answer
     * @throws DownstreamException if the call was refused, failed or timed out
     */
    default DownstreamResponse get(String path) {
        return execute(DownstreamRequest.of(Method.GET, path));
    }

    /**
     * {@code POST path} with a JSON body, never retried (use {@link #execute(DownstreamRequest)} with
     * {@link DownstreamRequest#idempotent(boolean)} for a POST that is safe to repeat).
     *
     * @param path path relative to the base URL
     * @param body JSON body
     * @return the downstream's answer
     * @throws DownstreamException if the call was refused, failed or timed out
     */
    default DownstreamResponse post(String path, JsonStructure body) {
        return execute(DownstreamRequest.of(Method.POST, path).body(body));
    }

    /**
     * {@code PUT path} with a JSON body, retried after transient failures.
     *
     * @param path path relative to the base URL
     * @param body JSON body
     * @return the downstream's answer
     * @throws DownstreamException if the call was refused, failed or timed out
     */
    default DownstreamResponse put(String path, JsonStructure body) {
        return execute(DownstreamRequest.of(Method.PUT, path).body(body));
    }

    /**
     * {@code DELETE path}, retried after transient failures.
     *
     * @param path path relative to the base URL
     * @return the downstream's answer
     * @throws DownstreamException if the call was refused, failed or timed out
     */
    default DownstreamResponse delete(String path) {
        return execute(DownstreamRequest.of(Method.DELETE, path));
    }

    /**
     * The circuit breaker's current state.
     *
     * @return state
     */
    CircuitBreaker.State breakerState();
}
