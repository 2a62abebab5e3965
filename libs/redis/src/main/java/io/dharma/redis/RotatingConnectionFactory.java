package io.dharma.redis;

import java.util.Objects;

import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.PooledObjectFactory;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionFactory;

/**
 * Jedis' connection factory, plus retirement of connections opened with credentials that are no longer current: each
 * connection remembers the password current when it was opened; when the provider's password has changed since, the
 * pool destroys the connection instead of handing it out again (on borrow) or keeping it idle (on return). Redis
 * keeps a connection authenticated after its password changes, so without this a pool would use old credentials
 * until every connection broke. The check is one comparison, no round trip.
 */
final class RotatingConnectionFactory implements PooledObjectFactory<Connection> {
    private final ConnectionFactory delegate;
    private final SecretCredentials credentials;

    RotatingConnectionFactory(ConnectionFactory delegate, SecretCredentials credentials) {
        this.delegate = delegate;
        this.credentials = credentials;
    }

    @Override
    public PooledObject<Connection> makeObject() throws Exception {
        // read before opening: if the password changes meanwhile, the connection is retired once more than needed,
        // never kept with an old password
        @Nullable String password = credentials.currentPassword();
        return new Tagged(delegate.makeObject().getObject(), password);
    }

    @Override
    public void activateObject(PooledObject<Connection> pooled) throws Exception {
        if (stale(pooled)) {
            // the pool destroys it and takes (or opens) another
            throw new RetiredConnectionException();
        }
        delegate.activateObject(pooled);
    }

    @Override
    public void passivateObject(PooledObject<Connection> pooled) throws Exception {
        if (stale(pooled)) {
            // the pool destroys it instead of keeping it idle
            throw new RetiredConnectionException();
        }
        delegate.passivateObject(pooled);
    }

    @Override
    public boolean validateObject(PooledObject<Connection> pooled) {
        return !stale(pooled) && delegate.validateObject(pooled);
    }

    @Override
    public void destroyObject(PooledObject<Connection> pooled) throws Exception {
        delegate.destroyObject(pooled);
    }

    private boolean stale(PooledObject<Connection> pooled) {
        return pooled instanceof Tagged tagged && !Objects.equals(tagged.password, credentials.currentPassword());
    }

    /** A pooled connection with the password it was opened with. */
    private static final class Tagged extends DefaultPooledObject<Connection> {
        private final @Nullable String password;

        Tagged(Connection connection, @Nullable String password) {
            super(connection);
            this.password = password;
        }
    }

    /** Refuses a connection opened with old credentials; the pool only swallows it. */
    private static final class RetiredConnectionException extends Exception {
        RetiredConnectionException() {
            super("connection opened with credentials that were rotated since", null, false, false);
        }
    }
}
