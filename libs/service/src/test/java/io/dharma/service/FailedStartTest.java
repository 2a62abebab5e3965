package io.dharma.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A start that fails part-way closes what it had opened: the connection pool (its threads are named after the pool,
 * which is named after the service), the clients, the exporter.
 */
class FailedStartTest {
    @Test
    void aStartRefusedPartWayLeavesNoPoolBehind() throws InterruptedException {
        // cache.enabled is read after the pool exists, security.enabled after the service context holds everything
        for (String key : List.of("cache.enabled", "security.enabled")) {
            String name = "half-started-" + key.replace('.', '-');
            Config config = Config.just(ConfigSources.create(Map.of("server.port", "0", "management.port", "0",
                                                                    "server.host", "127.0.0.1",
                                                                    "service.drain-delay", "PT0S", key, "ture")));
            assertThrows(ServiceConfigException.class,
                         () -> DharmaService.builder(name).config(config).shutdownHook(false).start(), key);
            assertThat(key, threadsNamed(name, Duration.ofSeconds(10)), empty());
        }
    }

    /** Live threads whose name starts with the prefix, once none are left or the wait is over. */
    private static List<String> threadsNamed(String prefix, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<String> names;
        do {
            names = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(n -> n.startsWith(prefix))
                    .toList();
            if (names.isEmpty()) {
                return names;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return names;
    }
}
