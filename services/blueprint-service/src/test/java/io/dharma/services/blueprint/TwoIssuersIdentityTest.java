package io.dharma.services.blueprint;

import java.util.Map;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.Tokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Identity when two issuers are trusted: the same subject from two issuers is two owners, and the
 * {@code scope} claim grants no role.
 */
class TwoIssuersIdentityTest {
    private static final String KEY = Tokens.randomSecret();
    private static final String OTHER_ISSUER = "https://other-issuer.dharma.test";
    private static final Tokens OURS = Tokens.hmac(KEY);
    private static final Tokens THEIRS = Tokens.hmac(KEY).withIssuer(OTHER_ISSUER);
    private static DharmaService service;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        service = TestServices.start(Map.of("security.jwt.hmac-secret", KEY,
                                            "security.jwt.issuer.0", Tokens.ISSUER,
                                            "security.jwt.issuer.1", OTHER_ISSUER,
                                            "security.jwt.audience", Tokens.AUDIENCE));
        client = HttpTestClient.create(service.port());
    }

    @AfterAll
    static void stop() {
        service.stop();
    }

    @Test
    void theSameSubjectFromAnotherIssuerIsAnotherOwner() {
        String body = "{\"name\":\"mine\",\"targetCloud\":\"aws\"}";
        HttpTestClient.Response created = client.json("POST", "/api/v1/blueprints", body,
                                                      "Authorization", bearer(OURS.valid("alice")));
        assertThat(created.body(), created.status(), is(201));
        assertThat(created.body(), containsString("\"ownerId\":\"" + Tokens.ISSUER + " alice\""));
        String location = created.header("Location").orElseThrow();
        assertThat(client.get(location, "Authorization", bearer(OURS.valid("alice"))).status(), is(200));
        assertProblem(client.get(location, "Authorization", bearer(THEIRS.valid("alice"))), 404, "NOT_FOUND");
        String theirList = client.get("/api/v1/blueprints", "Authorization", bearer(THEIRS.valid("alice"))).body();
        assertThat(theirList, not(containsString("mine")));
    }

    @Test
    void scopeGrantsNoRole() {
        // admin sees every owner's blueprints; a scope claim naming admin must not
        String scoped = OURS.token("mallory", claims -> claims.add("scope", "admin"));
        assertProblem(client.get("/api/v1/blueprints?ownerId=x", "Authorization", bearer(scoped)), 403, "FORBIDDEN");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
