package io.dharma.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.dharma.logging.Logging;
import io.dharma.testing.VaultStub;

import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static io.dharma.secrets.Fixtures.DOCUMENT;
import static io.dharma.secrets.Fixtures.secrets;
import static io.dharma.secrets.Fixtures.vaultAppRole;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Logs secret values on purpose, through SLF4J and the {@code logback.xml} shipped in dharma-logging, and checks the
 * real stdout: every value read from any source (and the Vault credentials) appears only as {@code [REDACTED]}.
 */
class SecretsLogRedactionIT {
    private static final String VAULT_VALUE = "vault-jwt-Q9v3-first";
    private static final String ROTATED_VALUE = "vault-jwt-Q9v3-rotated";
    private static final String FILE_VALUE = "file-redis-M2p8";
    private static final String ENV_VALUE = "env-api-W5k1";
    private static final String SECRET_ID = "approle-secret-id-H7d4";

    @TempDir
    Path dir;

    @Test
    void secretValuesNeverReachTheLogOutput() throws IOException {
        Files.writeString(dir.resolve("redis-password"), FILE_VALUE + "\n");
        String output;
        try (VaultStub vault = VaultStub.start()) {
            vault.approle("role-log-it", SECRET_ID);
            vault.put(DOCUMENT, Map.of("jwt-signing-key", VAULT_VALUE));
            Map<String, String> settings = vaultAppRole(vault, "role-log-it", SECRET_ID,
                                                        "secrets.files.directory", dir.toString());
            try (Secrets secrets = secrets(settings, Map.of("SECRET_API_KEY", ENV_VALUE));
                    Capture out = Capture.start()) {
                Logger log = LoggerFactory.getLogger("io.dharma.it.Billing");
                log.info("signing with {}", secrets.require("jwt-signing-key"));
                log.info("redis auth " + secrets.require("redis-password"));
                log.warn("calling partner with key={} and role secret {}", secrets.require("api-key"), SECRET_ID);
                MDC.put("upstreamKey", secrets.require("api-key"));
                try {
                    log.info("with mdc");
                } finally {
                    MDC.remove("upstreamKey");
                }
                log.error("connection failed", new IllegalStateException("auth failed for " + secrets.require("redis-password")));

                vault.put(DOCUMENT, Map.of("jwt-signing-key", ROTATED_VALUE));
                secrets.onChange("jwt-signing-key", value -> log.info("rotated signing key to {}", value));
                secrets.refresh();
                log.info("now signing with {}", secrets.require("jwt-signing-key"));
                Logging.flush();
                output = out.text();
            }
        }
        // an empty capture says nothing about redaction: show what logback itself reported instead
        assertThat("no line captured; logback status: " + logbackStatus(), output.isEmpty(), is(false));
        for (String value : List.of(VAULT_VALUE, ROTATED_VALUE, FILE_VALUE, ENV_VALUE, SECRET_ID)) {
            assertThat(output, not(containsString(value)));
        }
        assertThat(output, containsString("\"message\":\"signing with [REDACTED]\""));
        assertThat(output, containsString("\"message\":\"redis auth [REDACTED]\""));
        assertThat(output, containsString("\"message\":\"calling partner with key=[REDACTED] and role secret [REDACTED]\""));
        assertThat(output, containsString("\"upstreamKey\":\"[REDACTED]\""));
        assertThat(output, containsString("IllegalStateException: auth failed for [REDACTED]"));
        assertThat(output, containsString("\"message\":\"rotated signing key to [REDACTED]\""));
        assertThat(output, containsString("\"message\":\"now signing with [REDACTED]\""));
    }

    private static String logbackStatus() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getStatusManager().getCopyOfStatusList().toString();
    }

    /** Captures {@link System#out}; logback's console appender looks it up on every write. */
    private static final class Capture implements AutoCloseable {
        private final PrintStream original = System.out;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        private Capture() {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        }

        static Capture start() {
            return new Capture();
        }

        String text() {
            System.out.flush();
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.out.flush();
            System.setOut(original);
        }
    }
}
