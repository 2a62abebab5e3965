package io.dharma.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.dharma.logging.LoggingConfigException;

import io.helidon.config.Config;
import io.helidon.config.ConfigMappingException;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A boolean setting that is not a boolean stops the start with its key, instead of silently meaning {@code false}.
 */
class StrictConfigMappersTest {
    // documented in other pages than configuration.md, or only as YAML examples
    private static final Set<String> UNTABLED_KEYS = Set.of("security.enabled", "security.default-authenticate",
                                                            "security.headers.enabled", "security.headers.hsts.enabled",
                                                            "security.headers.hsts.preload", "security.cors.allow-credentials",
                                                            "rate-limit.enabled", "cache.enabled");
    private static final Map<String, String> BASE = Map.of("server.port", "0", "management.port", "0",
                                                           "server.host", "127.0.0.1", "db.enabled", "false",
                                                           "service.drain-delay", "PT0S");

    @Test
    void theUsualSpellingsInAnyCaseAreRead() {
        Random random = new Random(3);
        Map<String, Boolean> words = Map.of("true", true, "yes", true, "on", true, "y", true, "1", true,
                                            "false", false, "no", false, "off", false, "n", false, "0", false);
        words.forEach((word, expected) -> {
            for (int i = 0; i < 5; i++) {
                String spelled = randomCase(random, word);
                assertThat(spelled, flag(spelled), is(expected));
            }
        });
    }

    @Test
    void anythingElseFailsWithItsKeyAndValue() {
        Random random = new Random(5);
        String letters = "truefalsyonbq 019";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder word = new StringBuilder();
            for (int n = 1 + random.nextInt(6); n > 0; n--) {
                word.append(letters.charAt(random.nextInt(letters.length())));
            }
            String value = word.toString();
            if (Set.of("true", "yes", "on", "y", "1", "false", "no", "off", "n", "0")
                    .contains(value.trim().toLowerCase(Locale.ROOT)) || value.isBlank()) {
                continue;
            }
            ConfigMappingException e = assertThrows(ConfigMappingException.class, () -> flag(value), value);
            assertThat(e.getMessage(), containsString("'feature.enabled'"));
            assertThat(e.getMessage(), containsString("'" + value + "'"));
        }
    }

    @Test
    void everyBooleanSettingOfAServiceRejectsATypo() throws Exception {
        Set<String> keys = new TreeSet<>(UNTABLED_KEYS);
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9.-]+)` \\| `(?:true|false)`").matcher(
                Files.readString(Path.of("../../docs/configuration.md")));
        while (row.find()) {
            keys.add(row.group(1));
        }
        assertThat("keys read from docs/configuration.md", keys.size(), greaterThanOrEqualTo(UNTABLED_KEYS.size() + 10));
        for (String key : keys) {
            Map<String, String> settings = new HashMap<>(BASE);
            if (key.startsWith("db.")) {
                settings.remove("db.enabled");
            }
            settings.put(key, "ture");
            RuntimeException e = assertThrows(RuntimeException.class, () -> start(settings).stop(), key);
            assertThat(key, e, instanceOf(key.startsWith("logging.") ? LoggingConfigException.class
                                                  : ServiceConfigException.class));
            assertThat(e.getMessage(), containsString("'" + key + "'"));
            assertThat(e.getMessage(), containsString("'ture'"));
        }
    }

    @Test
    void aNumberOrDurationThatIsNotOneNamesTheExpectedForm() {
        Map<String, String> expected = Map.of("health.timeout", "ISO-8601", "management.port", "whole number",
                                              "errors.max-body-size", "whole number");
        expected.forEach((key, form) -> {
            Map<String, String> settings = new HashMap<>(BASE);
            settings.put(key, "soon");
            ServiceConfigException e = assertThrows(ServiceConfigException.class, () -> start(settings).stop(), key);
            assertThat(e.getMessage(), containsString("'" + key + "'"));
            assertThat(e.getMessage(), containsString("'soon'"));
            assertThat(e.getMessage(), containsString(form));
        });
        Map<String, String> fine = new HashMap<>(BASE);
        fine.put("health.timeout", "PT0.5S");
        fine.put("errors.max-body-size", "2048");
        start(fine).stop();
    }

    private static DharmaService start(Map<String, String> settings) {
        return DharmaService.builder("strict-config")
                .config(Config.just(ConfigSources.create(settings)))
                .shutdownHook(false)
                .start();
    }

    private static boolean flag(String value) {
        return Config.just(ConfigSources.create(Map.of("feature.enabled", value))).get("feature.enabled").asBoolean().get();
    }

    private static String randomCase(Random random, String word) {
        StringBuilder spelled = new StringBuilder();
        for (char c : word.toCharArray()) {
            spelled.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return spelled.toString();
    }
}
