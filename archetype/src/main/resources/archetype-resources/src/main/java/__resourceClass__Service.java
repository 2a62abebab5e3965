package ${package};

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.dharma.cache.Representations;
import io.dharma.data.Cursor;
import io.dharma.data.CursorCodec;
import io.dharma.data.KeysetPage;
import io.dharma.data.PageRequest;
import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.security.Principal;
import io.dharma.service.Requests;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /api/v1/${resourcePlural}}: create (201, {@code Location}, {@code ETag}), list (keyset pages), get
 * ({@code ETag}, {@code If-None-Match}), replace ({@code If-Match} required) and delete.
 * <p>
 * Every route needs a bearer token ({@code security.routes} in {@code application.yaml}). The owner of a new
 * ${resourceName} is the token's subject; users see and change only their own ${resourcePlural}, unless they have the
 * role {@value #ADMIN}. Another owner's ${resourceName} answers 404, like one that does not exist, so ids cannot be
 * probed; listing another owner's ({@code ?ownerId=}) is 403 for non-admins.
 * <p>
 * Every failure is an exception that the errors library turns into a problem response: validation
 * ({@link ${resourceClass}Request#validate()}), 404, 412/428, and the SQL failures the data library translates
 * (duplicate name: 409; database down: 503).
 */
final class ${resourceClass}Service implements HttpService {
    /** Where the API is registered. */
    static final String PATH = "/api/v1/${resourcePlural}";
    /** Role that sees and changes every owner's ${resourcePlural}. */
    static final String ADMIN = "admin";

    private final ${resourceClass}Repository repository;
    private final CursorCodec cursors;
    private final Representations answers = Representations.create();

    ${resourceClass}Service(${resourceClass}Repository repository, CursorCodec cursors) {
        this.repository = repository;
        this.cursors = cursors;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::createHandler)
                .get("/", this::listHandler)
                .get("/{id}", this::getHandler)
                .put("/{id}", this::replaceHandler)
                .delete("/{id}", this::deleteHandler);
    }

    private void createHandler(ServerRequest req, ServerResponse res) {
        String owner = principal(req).id();
        ${resourceClass}Request body = body(req);
        Instant now = now();
        ${resourceClass} created = new ${resourceClass}(UUID.randomUUID(), owner, body.trimmedName(), body.description(),
                1, now, now);
        repository.insert(created);
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, PATH + "/" + created.id())
                .header(HeaderNames.ETAG, created.etag())
                .send(${resourceClass}Response.from(created));
    }

    private void listHandler(ServerRequest req, ServerResponse res) {
        PageRequest page = PageRequest.parse(req.query().first("limit").asOptional(),
                                             req.query().first("cursor").asOptional(), cursors);
        List<${resourceClass}> rows = repository.page(owner(req), page.after().map(${resourceClass}Service::position),
                                                      page.fetchSize());
        KeysetPage<${resourceClass}> result = KeysetPage.of(rows, page.limit(), ${resourceClass}Service::cursorValues,
                                                          cursors);
        // each row's JSON kept per version, the same bytes GET by id sends
        answers.sendJson(req, res,
                         () -> result.json(found -> answers.json("${resourceName}", found.id().toString(), found.etag(),
                                                                 () -> ${resourceClass}Response.from(found))),
                         () -> result.map(${resourceClass}Response::from));
    }

    private void getHandler(ServerRequest req, ServerResponse res) {
        ${resourceClass} found = visible(req, repository.find(id(req)));
        res.header(HeaderNames.ETAG, found.etag());
        if (Requests.notModified(req, found.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        answers.sendJson(req, res, "${resourceName}", found.id().toString(), found.etag(),
                         () -> ${resourceClass}Response.from(found));
    }

    private void replaceHandler(ServerRequest req, ServerResponse res) {
        UUID id = id(req);
        String ifMatch = Requests.requireIfMatch(req);
        ${resourceClass}Request body = body(req);
        ${resourceClass} current = visible(req, repository.find(id));
        if (!Requests.ifMatch(ifMatch, current.etag())) {
            throw stale(current);
        }
        ${resourceClass} updated = new ${resourceClass}(id, current.ownerId(), body.trimmedName(), body.description(),
                current.version() + 1, current.createdAt(), now());
        if (!repository.update(updated, current.version())) {
            // changed or deleted between the read and the update
            throw repository.find(id).map(${resourceClass}Service::stale).orElseGet(() -> notFound(req));
        }
        res.header(HeaderNames.ETAG, updated.etag()).send(${resourceClass}Response.from(updated));
    }

    private void deleteHandler(ServerRequest req, ServerResponse res) {
        ${resourceClass} found = visible(req, repository.find(id(req)));
        if (!repository.delete(found.id())) {
            throw notFound(req);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static ${resourceClass}Request body(ServerRequest req) {
        ${resourceClass}Request body = Requests.json(req, ${resourceClass}Request.class);
        body.validate();
        return body;
    }

    private static Principal principal(ServerRequest req) {
        return Principal.required(req.context());
    }

    /** The ${resourceName} if the caller owns it or is an admin; else 404, as if it did not exist. */
    private static ${resourceClass} visible(ServerRequest req, Optional<${resourceClass}> found) {
        Principal principal = principal(req);
        return found.filter(it -> it.ownerId().equals(principal.id()) || principal.hasRole(ADMIN))
                .orElseThrow(() -> notFound(req));
    }

    /** Whose ${resourcePlural} a list shows: the caller's own; an admin's choice ({@code ownerId}), or everyone's. */
    private static Optional<String> owner(ServerRequest req) {
        Principal principal = principal(req);
        Optional<String> owner = req.query().first("ownerId").asOptional();
        if (principal.hasRole(ADMIN)) {
            return owner;
        }
        if (owner.isPresent() && !owner.get().equals(principal.id())) {
            throw ApiException.of(ErrorCode.FORBIDDEN, "Only admins can list other owners' ${resourcePlural}");
        }
        return Optional.of(principal.id());
    }

    private static UUID id(ServerRequest req) {
        return Requests.uuid(req, "id");
    }

    private static Instant now() {
        // both databases store microseconds: truncate, so the ETag'd state equals what is read back
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static List<String> cursorValues(${resourceClass} row) {
        return List.of(row.createdAt().toString(), row.id().toString());
    }

    private static ${resourceClass}Repository.Position position(Cursor cursor) {
        try {
            return new ${resourceClass}Repository.Position(Instant.parse(cursor.value(0)), UUID.fromString(cursor.value(1)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            // signed by this service, but not a cursor of this list
            throw ApiException.of(ErrorCode.BAD_REQUEST, "The cursor is invalid");
        }
    }

    private static ApiException notFound(ServerRequest req) {
        return ApiException.notFound("${resourceClass} " + req.path().pathParameters().get("id") + " does not exist");
    }

    private static ApiException stale(${resourceClass} current) {
        return ApiException.withHeader(ErrorCode.PRECONDITION_FAILED,
                                       "The ${resourceName} has changed; its current version is " + current.version(),
                                       "ETag", current.etag());
    }
}
