package io.dharma.data;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.config.Config;

/**
 * The {@code db} node, read and validated once. Keys and defaults are documented on {@link Database}.
 */
record DatabaseConfig(String serviceName,
                      String url,
                      String vendor,
                      Optional<String> user,
                      Optional<String> password,
                      String passwordSecret,
                      int maxPoolSize,
                      int minIdle,
                      Duration connectionTimeout,
                      String poolName,
                      int maxConcurrency,
                      Duration acquireTimeout,
                      boolean migrationsEnabled,
                      List<String> migrationLocations,
                      Optional<String> schema,
                      Duration healthTimeout) {
    static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(1);
    static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(1);
    static final String DEFAULT_PASSWORD_SECRET = "db-password";
    static final String DEFAULT_LOCATIONS = "classpath:db/{service}/common,classpath:db/{service}/{vendor}";
    // Hikari silently replaces a connection timeout below 250 ms with its 30 s default
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    static DatabaseConfig create(Config db, String serviceName) {
        if (!SERVICE_NAME.matcher(serviceName).matches()) {
            throw new DataConfigException("The service name must be 1-100 characters of [A-Za-z0-9._-]: " + serviceName);
        }
        Optional<String> schema = db.get("schema").asString().filter(s -> !s.isBlank());
        if (schema.isPresent() && !SCHEMA.matcher(schema.get()).matches()) {
            throw new DataConfigException("db.schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*): " + schema.get());
        }
        String url = db.get("url").asString().filter(s -> !s.isBlank()).orElse(
                "jdbc:h2:mem:" + serviceName + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH");
        String vendor = vendor(url);
        if (vendor.equals("h2") && schema.isPresent() && !url.toUpperCase(Locale.ROOT).contains(";INIT=")) {
            // H2 fails Connection.setSchema for a missing schema, before migrate() could create it
            url = url + ";INIT=CREATE SCHEMA IF NOT EXISTS \"" + schema.get() + "\"";
        }

        Config pool = db.get("pool");
        int maxPoolSize = pool.get("max-size").asInt().orElse(2 * Runtime.getRuntime().availableProcessors());
        require(maxPoolSize >= 1, "db.pool.max-size must be at least 1");
        int minIdle = pool.get("min-idle").asInt().orElse(maxPoolSize);
        require(minIdle >= 0 && minIdle <= maxPoolSize, "db.pool.min-idle must be between 0 and db.pool.max-size");
        Duration connectionTimeout = duration(pool, "connection-timeout", DEFAULT_CONNECTION_TIMEOUT);
        require(connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) >= 0, "db.pool.connection-timeout must be at least PT0.25S");
        String poolName = pool.get("name").asString().filter(s -> !s.isBlank()).orElse(serviceName);

        int maxConcurrency = db.get("max-concurrency").asInt().orElse(maxPoolSize);
        require(maxConcurrency >= 1, "db.max-concurrency must be at least 1");
        Duration acquireTimeout = duration(db, "acquire-timeout", DEFAULT_ACQUIRE_TIMEOUT);
        require(!acquireTimeout.isNegative(), "db.acquire-timeout must not be negative");
        Duration healthTimeout = duration(db, "health.timeout", DEFAULT_HEALTH_TIMEOUT);
        require(healthTimeout.toMillis() >= 1, "db.health.timeout must be positive");

        Config migrations = db.get("migrations");
        boolean migrationsEnabled = migrations.get("enabled").asBoolean().orElse(true);
        // Flyway holds two connections at once on PostgreSQL (the schema-history lock and the migration)
        require(!migrationsEnabled || maxPoolSize >= 2, "db.pool.max-size must be at least 2 while db.migrations.enabled "
                + "is true: Flyway holds two connections");
        List<String> locations = locations(migrations.get("locations")).stream()
                .map(l -> l.replace("{service}", serviceName).replace("{vendor}", vendor))
                .toList();

        String passwordSecret = db.get("password-secret").asString().orElse(DEFAULT_PASSWORD_SECRET).strip();
        require(!passwordSecret.isEmpty(), "db.password-secret must name a secret, e.g. " + DEFAULT_PASSWORD_SECRET);

        return new DatabaseConfig(serviceName, url, vendor,
                                  db.get("user").asString().filter(s -> !s.isBlank()),
                                  db.get("password").asString().asOptional(),
                                  passwordSecret,
                                  maxPoolSize, minIdle, connectionTimeout, poolName,
                                  maxConcurrency, acquireTimeout,
                                  migrationsEnabled, locations, schema, healthTimeout);
    }

    /**
     * The vendor id of a JDBC URL: {@code jdbc:postgresql://...} is {@code postgresql}, {@code jdbc:h2:mem:x} is
     * {@code h2}; it names the vendor migration folder.
     */
    static String vendor(String url) {
        String[] parts = url.split(":", 3);
        if (parts.length < 3 || !parts[0].equalsIgnoreCase("jdbc") || parts[1].isBlank()) {
            throw new DataConfigException("db.url is not a JDBC URL (jdbc:<vendor>:...)");
        }
        return parts[1].toLowerCase(Locale.ROOT);
    }

    private static List<String> locations(Config node) {
        if (!node.exists()) {
            return split(DEFAULT_LOCATIONS);
        }
        if (node.isLeaf()) {
            // a comma-separated value, e.g. from DB_MIGRATIONS_LOCATIONS
            return split(node.asString().orElse(""));
        }
        return node.asList(String.class).orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> split(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Duration duration(Config parent, String key, Duration defaultValue) {
        try {
            return parent.get(key).as(Duration.class).orElse(defaultValue);
        } catch (RuntimeException e) {
            throw new DataConfigException(parent.key() + "." + key + " must be an ISO-8601 duration such as PT2S", e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new DataConfigException(message);
        }
    }

    @Override
    public String toString() {
        // never print the password, nor URL parameters (they may carry one)
        return "DatabaseConfig[url=" + url.replaceAll("[?;].*", "") + ", vendor=" + vendor + ", pool=" + poolName
                + ", maxPoolSize=" + maxPoolSize + ", maxConcurrency=" + maxConcurrency + ", schema=" + schema.orElse("-")
                + "]";
    }
}
