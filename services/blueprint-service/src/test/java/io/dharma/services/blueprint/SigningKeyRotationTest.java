package io.dharma.services.blueprint;

import java.util.Map;

import io.dharma.service.DharmaService;
import io.dharma.testing.HttpTestClient;
import io.dharma.testing.Tokens;
import io.dharma.testing.VaultStub;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.dharma.testing.ProblemAssertions.assertProblem;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The token signing key lives in Vault (an HTTP stub of its KV v2 API: no Vault server runs here). Rotating it there
 * takes effect within one refresh period, without a restart: tokens signed with the new key pass, the old key's fail.
 * Deleting it revokes it the same way (it does not live on until a restart).
 */
class SigningKeyRotationTest {
    private static final String OLD_KEY = Tokens.randomSecret();
    private static final String NEW_KEY = Tokens.randomSecret();
    private static VaultStub vault;
    private static DharmaService service;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        vault = VaultStub.start();
        vault.put("blueprint-service", Map.of(DharmaService.JWT_SIGNING_KEY, OLD_KEY));
        service = TestServices.start(Map.of(
                "secrets.vault.address", vault.address(),
                "secrets.vault.token", vault.token(),
                "secrets.vault.path", "blueprint-service",
                "secrets.refresh-interval", "PT0.3S"));
        client = HttpTestClient.create(service.port());
    }

    @AfterAll
    static void stop() {
        service.stop();
        vault.close();
    }

    @Test
    void rotatedKeyTakesEffectWithoutRestart() throws InterruptedException {
        String oldToken = "Bearer " + Tokens.hmac(OLD_KEY).valid("alice");
        String newToken = "Bearer " + Tokens.hmac(NEW_KEY).valid("alice");
        assertThat(status(oldToken), is(200));
        assertProblem(client.get("/api/v1/blueprints", "Authorization", newToken), 401, "INVALID_TOKEN");

        vault.put("blueprint-service", Map.of(DharmaService.JWT_SIGNING_KEY, NEW_KEY));

        // wait for the next refresh (bounded), then the new key is in force and the old one is not
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (status(newToken) != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(status(newToken), is(200));
        assertProblem(client.get("/api/v1/blueprints", "Authorization", oldToken), 401, "INVALID_TOKEN");
        assertThat(HttpTestClient.create(service.managementPort()).get("/health/ready").status(), is(200));
    }

    @Test
    void aKeyDeletedFromTheStoreStopsVerifyingWithoutRestart() throws InterruptedException {
        String key = Tokens.randomSecret();
        vault.put("blueprint-service", Map.of(DharmaService.JWT_SIGNING_KEY, key));
        String token = "Bearer " + Tokens.hmac(key).valid("alice");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (status(token) != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // verified, so now in the verified-token cache too
        assertThat(status(token), is(200));

        vault.put("blueprint-service", Map.of("another-secret", Tokens.randomSecret()));

        deadline = System.nanoTime() + 10_000_000_000L;
        while (status(token) == 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertProblem(client.get("/api/v1/blueprints", "Authorization", token), 401, "INVALID_TOKEN");
    }

    private static int status(String bearer) {
        return client.get("/api/v1/blueprints", "Authorization", bearer).status();
    }
}
