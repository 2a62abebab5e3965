package io.dharma.services.blueprint;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.dharma.errors.Validation;

/**
 * Body of create and update requests.
 *
 * @param name        3..100 characters
 * @param description optional, up to 2000 characters
 * @param targetCloud aws, azure or gcp
 * @param status      optional: draft (default), active or archived
 * @param resources   optional, up to 100 resources
 */
public record BlueprintRequest(String name,
                               String description,
                               String targetCloud,
                               String status,
                               List<BlueprintResource> resources) {
    static final Set<String> CLOUDS = Set.of("aws", "azure", "gcp");
    static final Set<String> STATUSES = Set.of("draft", "active", "archived");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,50}");

    /**
     * Check every rule and fail with all broken ones. The OpenAPI request validation has checked the shape already;
     * this stays for what the document cannot say (a name of white space) and for callers that bypass it. Fields are
     * JSON Pointers, as in the validation's problems.
     */
    void validate() {
        Validation v = Validation.start()
                .length("/name", name == null ? null : name.strip(), 3, 100)
                .maxLength("/description", description, 2000)
                .oneOf("/targetCloud", targetCloud, CLOUDS)
                .require(status == null || STATUSES.contains(status), "/status", "must be one of active, archived, draft")
                .require(resources == null || resources.size() <= 100, "/resources", "must have at most 100 entries");
        if (resources != null && resources.size() <= 100) {
            for (int i = 0; i < resources.size(); i++) {
                BlueprintResource r = resources.get(i);
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
                        .matches(at + "/region", r.region(), TOKEN, "1..50 letters, digits, '.', '_' or '-'");
            }
        }
        v.throwIfInvalid();
    }

    String statusOrDraft() {
        return status == null ? "draft" : status;
    }

    List<BlueprintResource> resourcesOrEmpty() {
        return resources == null ? List.of() : resources;
    }
}
