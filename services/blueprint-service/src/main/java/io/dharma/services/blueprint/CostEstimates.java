package io.dharma.services.blueprint;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

import io.dharma.cache.Cache;
import io.dharma.cache.CacheKey;
import io.dharma.cache.Caches;
import io.dharma.cache.Codec;
import io.dharma.cache.Loaded;
import io.dharma.errors.ApiException;
import io.dharma.errors.FieldError;
import io.dharma.resilience.Downstream;
import io.dharma.resilience.DownstreamException;
import io.dharma.resilience.DownstreamRequest;
import io.dharma.resilience.DownstreamResponse;

import io.helidon.http.Method;

/**
 * Monthly cost estimates of blueprints, priced by cost-service ({@code POST /api/v1/costs/estimate}) through the
 * resilient client (timeout, retries, circuit breaker, bulkhead from {@code resilience.downstreams.cost-service}), and
 * cached: {@value #FRESH} holds the estimate of each blueprint version (an hour, configured in {@code cache.caches}),
 * {@value #LAST_KNOWN} the last estimate of each blueprint (a day). When cost-service cannot be asked (503 / 504 from
 * the resilient client) the last known estimate is answered, marked {@code stale}, instead of an error.
 * <p>
 * The caller's bearer token is forwarded. A blueprint without resources costs nothing and is not sent. A 400 from
 * cost-service (a resource it has no price for) is the caller's 400 with cost-service's field errors; any other
 * refusal is a 503.
 */
final class CostEstimates {
    /** Looked up once: {@code Json.create*} runs a ServiceLoader scan of the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Name of the downstream in {@code resilience.downstreams}. */
    static final String DOWNSTREAM = "cost-service";
    static final String ESTIMATE_PATH = "/api/v1/costs/estimate";
    static final String FRESH = "cost-estimates";
    static final String LAST_KNOWN = "cost-estimates-last-known";

    private final Downstream costService;
    private final Cache<CostEstimate> fresh;
    private final Cache<CostEstimate> lastKnown;

    CostEstimates(Downstream costService, Caches caches) {
        this.costService = costService;
        this.fresh = caches.cache(FRESH, Codec.json(CostEstimate.class));
        this.lastKnown = caches.cache(LAST_KNOWN, Codec.json(CostEstimate.class));
    }

    /**
     * The answer of {@code GET /api/v1/blueprints/{id}/cost}: the cached estimate of this version, else a new one,
     * else (cost-service unavailable) the last known one marked stale.
     *
     * @param blueprint     the blueprint (with its resources)
     * @param authorization the caller's {@code Authorization} header, forwarded
     * @return response body
     */
    JsonObject costOf(Blueprint blueprint, Optional<String> authorization) {
        String id = blueprint.id().toString();
        try {
            CostEstimate estimate = fresh.get(CacheKey.of(id).with(Long.toString(blueprint.version())).text(), () -> {
                CostEstimate computed = new CostEstimate(blueprint.id(), blueprint.version(),
                                                         estimate(blueprint, authorization).toString(), Instant.now());
                lastKnown.put(id, computed);
                return Loaded.value(computed);
            }).orElseThrow();
            return response(estimate, false);
        } catch (DownstreamException unavailable) {
            return lastKnown.get(id, Loaded::absent)
                    .map(estimate -> response(estimate, true))
                    .orElseThrow(() -> unavailable);
        }
    }

    /**
     * The estimate of a blueprint as cost-service computes it now.
     *
     * @param blueprint     the blueprint (with its resources)
     * @param authorization the caller's {@code Authorization} header, forwarded
     * @return cost-service's answer: {@code currency}, {@code monthlyTotal}, {@code resources}
     */
    JsonObject estimate(Blueprint blueprint, Optional<String> authorization) {
        if (blueprint.resources().isEmpty()) {
            return JSON.createObjectBuilder()
                    .add("currency", "USD")
                    .add("monthlyTotal", BigDecimal.ZERO.setScale(2))
                    .add("resources", JSON.createArrayBuilder())
                    .build();
        }
        JsonArrayBuilder resources = JSON.createArrayBuilder();
        for (BlueprintResource r : blueprint.resources()) {
            resources.add(JSON.createObjectBuilder()
                                  .add("type", r.type())
                                  .add("size", r.size())
                                  .add("count", r.count())
                                  .add("region", r.region())
                                  .add("cloud", blueprint.targetCloud()));
        }
        DownstreamRequest request = DownstreamRequest.of(Method.POST, ESTIMATE_PATH)
                .body(JSON.createObjectBuilder().add("resources", resources).build())
                .idempotent(true);   // pricing changes nothing: safe to retry
        if (authorization.isPresent()) {
            request = request.header("Authorization", authorization.get());
        }
        DownstreamResponse response = costService.execute(request);
        int status = response.status().code();
        if (status == 200) {
            return response.json();
        }
        if (status == 400) {
            throw ApiException.validation(fieldErrors(response.json()));
        }
        throw ApiException.unavailable("cost-service refused the estimate (" + status + ")",
                                       response.header("Retry-After").map(CostEstimates::seconds)
                                               .orElse(Duration.ofSeconds(1)));
    }

    private static JsonObject response(CostEstimate estimate, boolean stale) {
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("blueprintId", estimate.blueprintId().toString())
                .add("blueprintVersion", estimate.blueprintVersion());
        try (JsonReader reader = JSON.createReader(new StringReader(estimate.estimate()))) {
            reader.readObject().forEach(body::add);
        }
        return body.add("computedAt", estimate.computedAt().toString())
                .add("stale", stale)
                .build();
    }

    private static List<FieldError> fieldErrors(JsonObject problem) {
        if (!problem.containsKey("errors")) {
            return List.of(new FieldError("/resources", problem.getString("detail", "cannot be priced")));
        }
        return problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> new FieldError(e.getString("field", "/resources"), e.getString("message", "cannot be priced")))
                .toList();
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(300, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }
}
