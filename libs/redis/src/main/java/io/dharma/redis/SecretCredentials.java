package io.dharma.redis;

import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultRedisCredentials;
import redis.clients.jedis.RedisCredentials;
import redis.clients.jedis.RedisCredentialsProvider;

/**
 * Jedis' view of a {@link RedisAuth}, asked for each new connection: the secret's current password, else the URL's;
 * the configured user, else the URL's.
 */
final class SecretCredentials implements RedisCredentialsProvider {
    private final RedisAuth auth;
    private final @Nullable String urlUser;
    private final @Nullable String urlPassword;

    SecretCredentials(RedisAuth auth, @Nullable String urlUser, @Nullable String urlPassword) {
        this.auth = auth;
        this.urlUser = urlUser;
        this.urlPassword = urlPassword;
    }

    @Override
    public RedisCredentials get() {
        String password = currentPassword();
        // without a password Jedis sends no AUTH at all, whatever the user
        return password == null
                ? new RedisCredentials() { }
                : new DefaultRedisCredentials(auth.user().orElse(urlUser), password);
    }

    /** The password a new connection would use now; compared on every borrow, so it allocates no credentials. */
    @Nullable String currentPassword() {
        return auth.password().orElse(urlPassword);
    }

    @Override
    public String toString() {
        return "SecretCredentials[" + auth + "]";
    }
}
