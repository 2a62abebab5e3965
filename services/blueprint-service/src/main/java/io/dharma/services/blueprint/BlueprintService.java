package io.dharma.services.blueprint;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dharma.cache.Representations;
import io.dharma.data.Cursor;
import io.dharma.data.CursorCodec;
import io.dharma.data.KeysetPage;
import io.dharma.data.OffsetPage;
import io.dharma.data.PageRequest;
import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.Validation;
import io.dharma.security.Principal;
import io.dharma.service.Requests;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


/**
 * {@code /api/v1/blueprints}: create, list (keyset or offset pages), get (ETag), replace (If-Match) and delete.
 * <p>
 * Every route needs a bearer token (see {@code security.routes}). The owner of a new blueprint is the token's subject;
 * users see and change only their own blueprints, unless they have the role {@value #ADMIN}. Another owner's
 * blueprint answers 404, like one that does not exist, so ids cannot be probed.
 */
final class BlueprintService implements HttpService {
    static final String ADMIN = "admin";

    private final BlueprintRepository repository;
    private final CursorCodec cursors;
    private final CostEstimates costs;
    private final Representations answers = Representations.create();

    BlueprintService(BlueprintRepository repository, CursorCodec cursors, CostEstimates costs) {
        this.repository = repository;
        this.cursors = cursors;
        this.costs = costs;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::createHandler)
                .get("/", this::listHandler)
                .get("/{id}", this::getHandler)
                .get("/{id}/cost", this::costHandler)
                .put("/{id}", this::replaceHandler)
                .delete("/{id}", this::deleteHandler);
    }

    private void createHandler(ServerRequest req, ServerResponse res) {
        String owner = principal(req).id();
        BlueprintRequest body = body(req);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Blueprint blueprint = new Blueprint(UUID.randomUUID(), owner, body.name().strip(), body.description(),
                                            body.targetCloud(), body.statusOrDraft(), 1, now, now, body.resourcesOrEmpty());
        repository.insert(blueprint);
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/api/v1/blueprints/" + blueprint.id())
                .header(HeaderNames.ETAG, blueprint.etag())
                .send(BlueprintResponse.from(blueprint, true));
    }

    private void listHandler(ServerRequest req, ServerResponse res) {
        var query = req.query();
        BlueprintQuery filters = filters(req);
        boolean resources = query.first("include").map(i -> List.of(i.split(",")).contains("resources")).orElse(false);
        if (query.contains("page")) {
            OffsetPage.Request page = OffsetPage.Request.parse(query.first("page").asOptional(),
                                                               query.first("limit").asOptional());
            boolean withTotal = query.first("total").map(Boolean::parseBoolean).orElse(false);
            List<BlueprintResponse> rows = repository.offsetPage(filters, page.offset(), page.limit()).stream()
                    .map(b -> BlueprintResponse.from(b, false))
                    .toList();
            res.send(withTotal ? OffsetPage.of(rows, page, repository.count(filters)) : OffsetPage.of(rows, page));
            return;
        }
        PageRequest page = PageRequest.parse(query.first("limit").asOptional(), query.first("cursor").asOptional(), cursors);
        List<Blueprint> rows = repository.page(filters, page.after(), page.limit() + 1, resources);
        KeysetPage<Blueprint> result = KeysetPage.of(rows, page.limit(), BlueprintService::cursorValues, cursors);
        // each row's JSON kept per version (the full form is the one GET by id sends)
        String representation = resources ? "blueprint" : "blueprint-summary";
        answers.sendJson(req, res,
                         () -> result.json(b -> answers.json(representation, b.id().toString(), b.etag(),
                                                             () -> BlueprintResponse.from(b, resources))),
                         () -> result.map(b -> BlueprintResponse.from(b, resources)));
    }

    private void getHandler(ServerRequest req, ServerResponse res) {
        Blueprint blueprint = visible(req, repository.find(id(req)));
        res.header(HeaderNames.ETAG, blueprint.etag());
        if (Requests.notModified(req, blueprint.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        answers.sendJson(req, res, "blueprint", blueprint.id().toString(), blueprint.etag(),
                         () -> BlueprintResponse.from(blueprint, true));
    }

    private void costHandler(ServerRequest req, ServerResponse res) {
        Blueprint blueprint = visible(req, repository.find(id(req)));
        res.send(costs.costOf(blueprint, req.headers().first(HeaderNames.AUTHORIZATION)));
    }

    private void replaceHandler(ServerRequest req, ServerResponse res) {
        UUID id = id(req);
        String ifMatch = Requests.requireIfMatch(req);
        BlueprintRequest body = body(req);
        Blueprint current = visible(req, repository.find(id));
        if (!Requests.ifMatch(ifMatch, current.etag())) {
            throw stale(current);
        }
        Blueprint updated = new Blueprint(id, current.ownerId(), body.name().strip(), body.description(),
                                          body.targetCloud(), body.statusOrDraft(), current.version() + 1,
                                          current.createdAt(), Instant.now().truncatedTo(ChronoUnit.MICROS),
                                          body.resourcesOrEmpty());
        if (!repository.update(updated, current.version())) {
            throw repository.find(id).map(BlueprintService::stale).orElseGet(() -> notFound(req));
        }
        res.header(HeaderNames.ETAG, updated.etag()).send(BlueprintResponse.from(updated, true));
    }

    private void deleteHandler(ServerRequest req, ServerResponse res) {
        Blueprint blueprint = visible(req, repository.find(id(req)));
        if (!repository.delete(blueprint.id())) {
            throw notFound(req);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static BlueprintRequest body(ServerRequest req) {
        BlueprintRequest body = Requests.json(req, BlueprintRequest.class);
        body.validate();
        return body;
    }

    private static Principal principal(ServerRequest req) {
        return Principal.required(req.context());
    }

    private static Blueprint visible(ServerRequest req, Optional<Blueprint> found) {
        Principal principal = principal(req);
        return found.filter(b -> b.ownerId().equals(principal.id()) || principal.hasRole(ADMIN))
                .orElseThrow(() -> notFound(req));
    }

    private static BlueprintQuery filters(ServerRequest req) {
        var query = req.query();
        Principal principal = principal(req);
        Optional<String> owner = query.first("ownerId").asOptional();
        if (!principal.hasRole(ADMIN)) {
            if (owner.isPresent() && !owner.get().equals(principal.id())) {
                throw ApiException.of(ErrorCode.FORBIDDEN, "Only admins can list other owners' blueprints");
            }
            owner = Optional.of(principal.id());
        }
        Optional<String> status = query.first("status").asOptional();
        Optional<String> cloud = query.first("targetCloud").asOptional();
        Optional<String> text = query.first("q").asOptional().map(String::strip).filter(q -> !q.isEmpty());
        Validation.start()
                .require(status.isEmpty() || BlueprintRequest.STATUSES.contains(status.get()), "query/status",
                         "must be one of active, archived, draft")
                .require(cloud.isEmpty() || BlueprintRequest.CLOUDS.contains(cloud.get()), "query/targetCloud",
                         "must be one of aws, azure, gcp")
                .require(text.isEmpty() || text.get().length() <= 100, "query/q", "must be at most 100 characters")
                .throwIfInvalid();
        return new BlueprintQuery(status, cloud, owner, text);
    }

    private static UUID id(ServerRequest req) {
        return Requests.uuid(req, "id");
    }

    private static List<String> cursorValues(Blueprint b) {
        return List.of(b.createdAt().toString(), b.id().toString());
    }

    private static ApiException notFound(ServerRequest req) {
        return ApiException.notFound("Blueprint " + req.path().pathParameters().get("id") + " does not exist");
    }

    private static ApiException stale(Blueprint current) {
        return ApiException.withHeader(ErrorCode.PRECONDITION_FAILED,
                                       "The blueprint has changed; its current version is " + current.version(),
                                       "ETag", current.etag());
    }

    static Instant cursorTime(Cursor cursor) {
        return Instant.parse(cursor.values().getFirst());
    }

    static UUID cursorId(Cursor cursor) {
        return UUID.fromString(cursor.values().get(1));
    }
}
