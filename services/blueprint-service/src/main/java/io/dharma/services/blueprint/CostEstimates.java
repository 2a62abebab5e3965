package io.dharma.services.blueprint;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import io.dharma.errors.ApiException;
import io.dharma.errors.FieldError;
import io.dharma.resilience.Downstream;
import io.dharma.resilience.DownstreamRequest;
import io.dharma.resilience.DownstreamResponse;

import io.helidon.http.Method;

/**
 * Monthly cost estimates of blueprints, priced by cost-service ({@code POST /api/v1/costs/estimate}) through the
 * resilient client (timeout, retries, circuit breaker, bulkhead from {@code resilience.downstreams.cost-service}). The
 * caller's bearer token is forwarded. A blueprint without resources costs nothing and is not sent. A 400 from
 * cost-service (a resource it has no price for) is the caller's 400 with cost-service's field errors; any other
 * refusal is a 503, and failures of the call itself are the resilient client's 503 / 504.
 */
final class CostEstimates {
    /** Name of the downstream in {@code resilience.downstreams}. */
    static final String DOWNSTREAM = "cost-service";
    static final String ESTIMATE_PATH = "/api/v1/costs/estimate";

    private final Downstream costService;

    CostEstimates(Downstream costService) {
        this.costService = costService;
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
            return Json.createObjectBuilder()
                    .add("currency", "USD")
                    .add("monthlyTotal", BigDecimal.ZERO.setScale(2))
                    .add("resources", Json.createArrayBuilder())
                    .build();
        }
        JsonArrayBuilder resources = Json.createArrayBuilder();
        for (BlueprintResource r : blueprint.resources()) {
            resources.add(Json.createObjectBuilder()
                                  .add("type", r.type())
                                  .add("size", r.size())
                                  .add("count", r.count())
                                  .add("region", r.region())
                                  .add("cloud", blueprint.targetCloud()));
        }
        DownstreamRequest request = DownstreamRequest.of(Method.POST, ESTIMATE_PATH)
                .body(Json.createObjectBuilder().add("resources", resources).build())
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

    /**
     * The JSON answer of {@code GET /api/v1/blueprints/{id}/cost}.
     *
     * @param blueprint  the blueprint priced
     * @param estimate   cost-service's estimate
     * @param computedAt when it was computed
     * @param stale      true when cost-service could not be asked and this is the last known estimate
     * @return response body
     */
    static JsonObject response(Blueprint blueprint, JsonObject estimate, Instant computedAt, boolean stale) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("blueprintId", blueprint.id().toString())
                .add("blueprintVersion", blueprint.version());
        estimate.forEach(body::add);
        return body.add("computedAt", computedAt.toString())
                .add("stale", stale)
                .build();
    }

    private static List<FieldError> fieldErrors(JsonObject problem) {
        if (!problem.containsKey("errors")) {
            return List.of(new FieldError("resources", problem.getString("detail", "cannot be priced")));
        }
        return problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> new FieldError(e.getString("field", "resources"), e.getString("message", "cannot be priced")))
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
