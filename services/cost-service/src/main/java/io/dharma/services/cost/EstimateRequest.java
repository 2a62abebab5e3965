package io.dharma.services.cost;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.dharma.errors.Validation;

/**
 * Body of {@code POST /api/v1/costs/estimate}.
 *
 * @param resources 1..100 resources to price
 */
public record EstimateRequest(List<ResourceSpec> resources) {
    static final Set<String> CLOUDS = Set.of("aws", "azure", "gcp");
    static final int MAX_RESOURCES = 100;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,50}");

    /**
     * Check the shape of every resource and fail with all broken rules (prices are checked against the table later).
     * The OpenAPI request validation has checked the same shape already; this stays for callers that bypass it.
     * Fields are JSON Pointers, as in the validation's problems.
     */
    void validate() {
        Validation v = Validation.start()
                .require(resources != null && !resources.isEmpty(), "/resources", "must have at least one entry")
                .require(resources == null || resources.size() <= MAX_RESOURCES, "/resources",
                         "must have at most " + MAX_RESOURCES + " entries");
        if (resources != null && resources.size() <= MAX_RESOURCES) {
            for (int i = 0; i < resources.size(); i++) {
                ResourceSpec r = resources.get(i);
                String at = "/resources/" + i;
                if (r == null) {
                    v.require(false, at, "must be an object");
                    continue;
                }
                v.require(r.type() != null, at + "/type", "is required")
                        .matches(at + "/type", r.type(), TOKEN, "1..50 letters, digits, '.', '_' or '-'")
                        .require(r.size() != null, at + "/size", "is required")
                        .matches(at + "/size", r.size(), TOKEN, "1..50 letters, digits, '.', '_' or '-'")
                        .range(at + "/count", r.count(), 1, 10_000)
                        .require(r.region() != null, at + "/region", "is required")
                        .matches(at + "/region", r.region(), TOKEN, "1..50 letters, digits, '.', '_' or '-'")
                        .oneOf(at + "/cloud", r.cloud(), CLOUDS);
            }
        }
        v.throwIfInvalid();
    }
}
