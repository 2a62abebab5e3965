package io.dharma.service;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigMappingException;
import io.helidon.config.spi.ConfigMapperProvider;

/**
 * Reads booleans strictly and names what a number or a duration should look like, for each {@link Config} that loads
 * mapper services ({@code Config.create()} and {@code Config.just(...)} do). Registered as a service; not called
 * directly.
 * <p>
 * Booleans: {@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off}, {@code y}/{@code n} and
 * {@code 1}/{@code 0}, in any case; anything else fails with the key. Helidon's own mapping reads every other word as
 * {@code false}, so {@code security.enabled: ture} or {@code SECURITY_ENABLED=enabled} would silently switch the
 * feature off. Numbers and durations are read as Helidon reads them; a value that is not one fails with the key, the
 * value and the expected form instead of the name of a mapper lambda.
 */
public final class StrictConfigMappers implements ConfigMapperProvider {
    private static final Map<String, Boolean> BOOLEANS = Map.of("true", true, "yes", true, "on", true, "y", true,
                                                                "1", true, "false", false, "no", false, "off", false,
                                                                "n", false, "0", false);

    /**
     * Created by the service loader.
     */
    public StrictConfigMappers() {
    }

    @Override
    public Map<Class<?>, Function<Config, ?>> mappers() {
        return Map.of(Boolean.class, node -> read(node, "a boolean, use true or false",
                                                  value -> BOOLEANS.get(value.trim().toLowerCase(Locale.ROOT))),
                      Integer.class, node -> read(node, "a whole number", Integer::parseInt),
                      Long.class, node -> read(node, "a whole number", Long::parseLong),
                      Duration.class, node -> read(node, "a duration, use ISO-8601 such as PT5S or PT0.25S",
                                                   Duration::parse));
    }

    private static <T> T read(Config node, String expected, Function<String, T> parse) {
        String value = node.asString().get();
        T result;
        try {
            result = parse.apply(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            result = null;
        }
        if (result == null) {
            throw new ConfigMappingException(node.key(), value, "not " + expected, null);
        }
        return result;
    }
}
