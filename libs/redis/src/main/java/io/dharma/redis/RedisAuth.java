package io.dharma.redis;

import java.util.Optional;
import java.util.function.Function;

import io.helidon.config.Config;

/**
 * Who a Redis client authenticates as, read again for every new connection so a rotated password is used without a
 * restart: the password is the current value of a secret ({@code redis.password-secret}, default
 * {@value #DEFAULT_PASSWORD_SECRET}) when the secret store has it, else the password of the URL; the user is
 * {@code redis.user}, else the URL's user (none: Redis' default user). Holds no Jedis type, so a service without Redis
 * can build one without loading Jedis.
 */
public final class RedisAuth {
    /** Default name of the secret holding the Redis password. */
    public static final String DEFAULT_PASSWORD_SECRET = "redis-password";

    private static final RedisAuth URL = new RedisAuth(Optional.empty(), DEFAULT_PASSWORD_SECRET, name -> Optional.empty());

    private final Optional<String> user;
    private final String passwordSecret;
    private final Function<String, Optional<String>> secrets;

    private RedisAuth(Optional<String> user, String passwordSecret, Function<String, Optional<String>> secrets) {
        this.user = user;
        this.passwordSecret = passwordSecret;
        this.secrets = secrets;
    }

    /**
     * The credentials of a {@code redis} node: {@code user} and {@code password-secret} looked up in a secret store.
     *
     * @param node    the {@code redis} node
     * @param secrets current value of a secret by name, empty when the store does not have it; called for each new
     *                connection and each borrow from the pool, so it must answer from memory
     * @return credentials
     */
    public static RedisAuth create(Config node, Function<String, Optional<String>> secrets) {
        Optional<String> user = node.get("user").asString().asOptional().map(String::strip).filter(s -> !s.isEmpty());
        String secret = node.get("password-secret").asString().asOptional().map(String::strip).filter(s -> !s.isEmpty())
                .orElse(DEFAULT_PASSWORD_SECRET);
        return new RedisAuth(user, secret, secrets);
    }

    /**
     * Only the credentials of the URL ({@code redis://user:password@host}).
     *
     * @return credentials
     */
    public static RedisAuth url() {
        return URL;
    }

    /**
     * The configured user, when set; else the URL's user applies.
     *
     * @return user
     */
    public Optional<String> user() {
        return user;
    }

    /**
     * The secret's current value; when empty, the URL's password applies.
     *
     * @return password
     */
    public Optional<String> password() {
        return secrets.apply(passwordSecret);
    }

    @Override
    public String toString() {
        return "RedisAuth[user=" + user.orElse("-") + ", secret=" + passwordSecret + "]";
    }
}
