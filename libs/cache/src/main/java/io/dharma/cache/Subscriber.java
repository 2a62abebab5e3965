package io.dharma.cache;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * The subscription to the invalidation channel, on one connection borrowed from the client's pool for as long as it
 * lasts, in its own virtual thread. A lost subscription (error, or no answer to three heartbeat PINGs in a row) is
 * reported at once and retried with a doubling backoff; a hung connection is closed by interrupting its thread.
 */
final class Subscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);
    private static final int MISSED_HEARTBEATS = 3;

    // configuration
    private final UnifiedJedis jedis;
    private final String channel;
    private final CachesConfig config;
    private final Listener listener;
    // runtime
    private final Thread loop;
    private final Thread watchdog;
    private final Object lock = new Object();
    private volatile @Nullable PubSub current;
    private volatile boolean up;
    private volatile boolean closed;
    private volatile long lastSeen;
    private volatile String reason = "not subscribed yet";

    Subscriber(UnifiedJedis jedis, String channel, CachesConfig config, Listener listener) {
        this.jedis = jedis;
        this.channel = channel;
        this.config = config;
        this.listener = listener;
        this.loop = Thread.ofVirtual().name("dharma-cache-subscriber").unstarted(this::subscribeLoop);
        this.watchdog = Thread.ofVirtual().name("dharma-cache-heartbeat").unstarted(this::heartbeatLoop);
    }

    void start() {
        loop.start();
        watchdog.start();
    }

    boolean up() {
        return up;
    }

    String reason() {
        return reason;
    }

    @Override
    public void close() {
        closed = true;
        unsubscribe();
        loop.interrupt();
        watchdog.interrupt();
    }

    private void subscribeLoop() {
        Duration wait = config.probeBackoff();
        while (!closed) {
            Thread.interrupted();
            PubSub pubSub = new PubSub();
            current = pubSub;
            String why;
            try {
                jedis.subscribe(pubSub, channel);
                why = "unsubscribed";
            } catch (RuntimeException e) {
                why = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            current = null;
            lost(why);
            if (pubSub.worked) {
                wait = config.probeBackoff();
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                // closed, or woken by the watchdog: try again now
            }
            wait = wait.multipliedBy(2).compareTo(config.maxProbeBackoff()) > 0
                    ? config.maxProbeBackoff()
                    : wait.multipliedBy(2);
        }
    }

    private void heartbeatLoop() {
        long limit = config.heartbeat().toNanos() * MISSED_HEARTBEATS;
        while (!closed) {
            try {
                Thread.sleep(config.heartbeat());
            } catch (InterruptedException e) {
                return;
            }
            PubSub pubSub = current;
            if (pubSub == null || !pubSub.isSubscribed()) {
                continue;
            }
            try {
                synchronized (lock) {
                    pubSub.ping();
                }
            } catch (RuntimeException e) {
                // the subscribe loop sees the broken connection
            }
            if (up && System.nanoTime() - lastSeen > limit) {
                lost("no answer to " + MISSED_HEARTBEATS + " heartbeats");
                // a virtual thread interrupted in a socket read closes the socket: the loop reconnects
                loop.interrupt();
            }
        }
    }

    private void unsubscribe() {
        PubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                synchronized (lock) {
                    pubSub.unsubscribe();
                }
            } catch (RuntimeException e) {
                // the connection is gone already
            }
        }
    }

    private void lost(String why) {
        reason = why;
        if (up) {
            up = false;
            if (!closed) {
                LOG.warn("Cache invalidation subscription lost ({}): L1 is flushed and bypassed until it is back", why);
            }
            listener.lost();
        }
    }

    /** What the subscription reports. */
    interface Listener {
        /** Subscribed (again): called before {@link #up()} turns true. */
        void subscribed();

        /** Lost: called after {@link #up()} turned false. */
        void lost();

        /** A message on the channel. */
        void received(String message);
    }

    private final class PubSub extends JedisPubSub {
        private volatile boolean worked;

        @Override
        public void onSubscribe(String subscribed, int count) {
            lastSeen = System.nanoTime();
            worked = true;
            listener.subscribed();
            reason = "";
            up = true;
            LOG.info("Cache invalidation subscription on {} is up", subscribed);
        }

        @Override
        public void onMessage(String from, String message) {
            lastSeen = System.nanoTime();
            listener.received(message);
        }

        @Override
        public void onPong(String pattern) {
            lastSeen = System.nanoTime();
        }
    }
}
