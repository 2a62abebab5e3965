package io.dharma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A private Redis Cluster on loopback: three primaries and three replicas ({@code redis-server --cluster-enabled yes},
 * {@code cluster-node-timeout} 1 s), joined by {@code redis-cli --cluster create}, nothing persisted, every process
 * killed on {@link #close()}. Needs {@code redis-server} and {@code redis-cli} (Redis 7) on the PATH. For tests of
 * the services on a cluster: their URL ({@link #url()}), which primary serves a key, and failover: {@link #kill(int)}
 * a primary, {@link #awaitHealthy()} until its replica serves its slots, {@link #restart(int)} to bring the old node
 * back as a replica.
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start()) {
 *     config.put("redis.url", cluster.url());
 *     int primary = cluster.primaryOf("some-key");
 *     cluster.kill(primary);
 *     cluster.awaitHealthy();
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {
    private static final int NODES = 6;
    private static final int HEALTHY_WAIT_MILLIS = 30_000;

    private final Map<Integer, Node> nodes = new TreeMap<>();
    // password of the default user on every node (and of replication), null without requirepass
    private volatile @Nullable String password;

    private RedisCluster(@Nullable String password) {
        this.password = password;
    }

    /**
     * Start six nodes, create the cluster (one replica per primary) and wait until every slot is served.
     *
     * @return the running cluster
     */
    public static RedisCluster start() {
        return create(null);
    }

    /**
     * Start a cluster whose nodes need a password ({@code requirepass}, and {@code masterauth} for replication).
     *
     * @param password the default user's password
     * @return the running cluster
     */
    public static RedisCluster start(String password) {
        return create(password);
    }

    private static RedisCluster create(@Nullable String password) {
        RedisCluster cluster = new RedisCluster(password);
        try {
            for (int port : ports()) {
                Node node = cluster.new Node(port, Files.createTempDirectory("redis-cluster-" + port));
                cluster.nodes.put(port, node);
                node.start();
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "--cluster", "create"));
            if (password != null) {
                create.addAll(List.of("-a", password));
            }
            cluster.nodes.keySet().forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Process process = new ProcessBuilder(create).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException("Cannot start a Redis Cluster (are redis-server and redis-cli on the PATH?)", e);
        } catch (InterruptedException e) {
            cluster.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The seed URL of the services' {@code redis.url}: every node.
     *
     * @return {@code redis-cluster://127.0.0.1:<port>,127.0.0.1:<port>...}
     */
    public String url() {
        return "redis-cluster://" + nodes.keySet().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /**
     * Ports of the nodes that are primaries now (ascending), as a live node sees them.
     *
     * @return ports
     */
    public List<Integer> primaries() {
        List<Integer> primaries = new ArrayList<>();
        for (String line : clusterNodes().split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 7 && fields[2].contains("master") && !fields[2].contains("fail")) {
                primaries.add(port(fields[1]));
            }
        }
        primaries.sort(null);
        return primaries;
    }

    /**
     * Port of the primary serving a key's slot now.
     *
     * @param key a key (hash tags count, as in Redis)
     * @return port
     */
    public int primaryOf(String key) {
        try (Jedis jedis = live().client()) {
            long slot = jedis.clusterKeySlot(key);
            for (String line : jedis.clusterNodes().split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length <= 8 || !fields[2].contains("master") || fields[2].contains("fail")) {
                    continue;
                }
                for (int i = 8; i < fields.length; i++) {
                    String[] range = fields[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue; // a slot being migrated
                    }
                    long first = Long.parseLong(range[0]);
                    long last = range.length > 1 ? Long.parseLong(range[1]) : first;
                    if (slot >= first && slot <= last) {
                        return port(fields[1]);
                    }
                }
            }
        }
        throw new IllegalStateException("no primary serves the slot of " + key);
    }

    /**
     * Kill a node ({@code SIGKILL}) and wait until it has exited; a killed primary's replica takes over after the node
     * timeout (see {@link #awaitHealthy()}).
     *
     * @param port the node's port
     */
    public void kill(int port) {
        nodes.get(port).kill();
    }

    /**
     * Start a killed node again on its port with its cluster identity; it rejoins (a former primary as a replica).
     *
     * @param port the node's port
     */
    public void restart(int port) {
        nodes.get(port).start();
    }

    /**
     * Change the password of every running node ({@code CONFIG SET requirepass} and {@code masterauth}). New
     * connections must use it; connections already authenticated stay so, as on a real server.
     *
     * @param newPassword the new password
     */
    public void requirePassword(String newPassword) {
        for (Node node : nodes.values()) {
            if (node.alive()) {
                try (Jedis jedis = node.client()) {
                    jedis.configSet("masterauth", newPassword);
                    jedis.configSet("requirepass", newPassword);
                }
            }
        }
        password = newPassword;
    }

    /**
     * Close every client connection of every running node ({@code CLIENT KILL TYPE normal}): clients must connect, and
     * so authenticate, again.
     */
    public void dropClientConnections() {
        for (Node node : nodes.values()) {
            if (node.alive()) {
                try (Jedis jedis = node.client()) {
                    jedis.clientKill(new ClientKillParams().type(ClientType.NORMAL).skipMe(ClientKillParams.SkipMe.YES));
                }
            }
        }
    }

    /**
     * Wait (at most 30 s) until every live node reports {@code cluster_state:ok}, every slot is served by a live
     * primary (after {@link #kill(int)} of a primary: until its replica has taken over) and every replica is in sync.
     */
    public void awaitHealthy() {
        long deadline = System.nanoTime() + HEALTHY_WAIT_MILLIS * 1_000_000L;
        while (true) {
            boolean ok = servedByLiveNodes();
            for (Node node : nodes.values()) {
                if (node.alive()) {
                    try (Jedis jedis = node.client()) {
                        ok &= jedis.clusterInfo().contains("cluster_state:ok");
                        // a replica that never synchronised cannot be promoted
                        String replication = jedis.info("replication");
                        ok &= replication.contains("role:master") || replication.contains("master_link_status:up");
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                }
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the Redis Cluster is not healthy after 30 s:\n" + clusterNodes());
            }
            RedisServer.sleep(50);
        }
    }

    @Override
    public void close() {
        nodes.values().forEach(Node::kill);
    }

    // every primary holding slots, as a live node sees them, runs
    private boolean servedByLiveNodes() {
        try {
            for (String line : clusterNodes().split("\n")) {
                String[] fields = line.split(" ");
                if (fields.length > 8 && fields[2].contains("master") && !nodes.get(port(fields[1])).alive()) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String clusterNodes() {
        try (Jedis jedis = live().client()) {
            return jedis.clusterNodes();
        }
    }

    private Node live() {
        return nodes.values().stream().filter(Node::alive).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node of the cluster runs"));
    }

    // "127.0.0.1:30001@40001" -> 30001
    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1, address.indexOf('@')));
    }

    // ports whose cluster bus port (+10000) is free too
    private static List<Integer> ports() throws IOException {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < NODES) {
            // below the ephemeral range (32768 and up) with its bus port too, so no client connection takes either
            int port = ThreadLocalRandom.current().nextInt(20_000, 22_768);
            if (!ports.contains(port) && free(port) && free(port + 10_000)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    /** One redis-server of the cluster: its port and directory (cluster identity in nodes.conf). */
    private final class Node {
        private final int port;
        private final Path dir;
        private Process process;

        Node(int port, Path dir) {
            this.port = port;
            this.dir = dir;
        }

        void start() {
            List<String> command = new ArrayList<>(List.of(
                    "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                    "--repl-diskless-sync-delay", "0", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
            String current = password;
            if (current != null) {
                command.addAll(List.of("--requirepass", current, "--masterauth", current));
            }
            process = RedisServer.launch(command, dir, port, this::client);
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        Jedis client() {
            Jedis jedis = new Jedis("127.0.0.1", port);
            String current = password;
            if (current != null) {
                try {
                    jedis.auth(current);
                } catch (RuntimeException e) {
                    jedis.close();
                    throw e;
                }
            }
            return jedis;
        }

        void kill() {
            if (alive()) {
                process.destroyForcibly();
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while stopping redis-server", e);
                }
            }
        }
    }
}
