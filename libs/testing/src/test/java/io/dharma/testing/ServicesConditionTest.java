package io.dharma.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

import static io.dharma.testing.RequiresServices.Service.CHROMIUM;
import static io.dharma.testing.RequiresServices.Service.POSTGRES;
import static io.dharma.testing.RequiresServices.Service.REDIS_BINARIES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServicesConditionTest {
    @Test
    void closedPostgresPortSkipsWithOneLineSayingWhatToStart() throws IOException {
        int closed = closedPort();
        ServicesCondition condition = new ServicesCondition(postgresAt(closed), false);

        ConditionEvaluationResult result = condition.evaluate("ItemServicePostgresIT", List.of(POSTGRES));

        assertThat(result.isDisabled(), is(true));
        String reason = result.getReason().orElseThrow();
        assertThat(reason, containsString("ItemServicePostgresIT SKIPPED: no PostgreSQL at 127.0.0.1:" + closed));
        assertThat(reason, containsString("TEST_PG_URL"));
        assertThat(reason, containsString("-Ddharma.require.services=true makes this a failure"));
        assertThat(reason.contains("\n"), is(false));
    }

    @Test
    void closedPostgresPortFailsWhenServicesAreRequired() throws IOException {
        int closed = closedPort();
        ServicesCondition condition = new ServicesCondition(postgresAt(closed), true);

        ExtensionConfigurationException failure = assertThrows(ExtensionConfigurationException.class,
                () -> condition.evaluate("ItemServicePostgresIT", List.of(POSTGRES)));

        assertThat(failure.getMessage(), containsString("ItemServicePostgresIT FAILED: no PostgreSQL at 127.0.0.1:" + closed));
    }

    @Test
    void listeningPostgresPortRuns() throws IOException {
        try (ServerSocket server = new ServerSocket(0)) {
            ServicesCondition condition = new ServicesCondition(postgresAt(server.getLocalPort()), true);

            assertThat(condition.evaluate("ItemServicePostgresIT", List.of(POSTGRES)).isDisabled(), is(false));
        }
    }

    @Test
    void redisBinariesAreLookedUpOnThePath(@TempDir Path bin) throws IOException {
        ServicesCondition condition = new ServicesCondition(Map.of("PATH", bin.toString())::get, false);
        assertThat(condition.missing(REDIS_BINARIES).orElseThrow(), containsString("no redis-server and redis-cli on the PATH"));

        executable(bin.resolve("redis-server"));
        assertThat(condition.missing(REDIS_BINARIES).isPresent(), is(true));

        executable(bin.resolve("redis-cli"));
        assertThat(condition.missing(REDIS_BINARIES).isPresent(), is(false));
    }

    @Test
    void chromiumIsLookedUpOnThePath(@TempDir Path bin) throws IOException {
        ServicesCondition condition = new ServicesCondition(Map.of("PATH", bin.toString())::get, false);
        ConditionEvaluationResult skipped = condition.evaluate("BlueprintSmokeIT.apiReference", List.of(CHROMIUM));
        assertThat(skipped.getReason().orElseThrow(),
                   containsString("BlueprintSmokeIT.apiReference SKIPPED: no chromium on the PATH"));
        assertThrows(ExtensionConfigurationException.class,
                     () -> new ServicesCondition(Map.of("PATH", bin.toString())::get, true)
                             .evaluate("BlueprintSmokeIT.apiReference", List.of(CHROMIUM)));

        executable(bin.resolve("chromium"));
        assertThat(condition.missing(CHROMIUM).isPresent(), is(false));
        assertThat(ServicesCondition.onPath(bin + ":/nowhere", "chromium").orElseThrow(), is(bin.resolve("chromium")));
    }

    private static Function<String, String> postgresAt(int port) {
        return Map.of("TEST_PG_URL", "jdbc:postgresql://127.0.0.1:" + port + "/test")::get;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket server = new ServerSocket(0)) {
            return server.getLocalPort();
        }
    }

    private static void executable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
