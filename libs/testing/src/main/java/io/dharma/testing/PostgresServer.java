package io.dharma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster ({@code initdb} in a temporary directory, its own free loopback port) for tests that
 * stop, crash or restart the database, or change a role's password, without disturbing the machine's shared
 * PostgreSQL. Uses the newest {@code /usr/lib/postgresql/<version>/bin}; when the tests run as root, the server runs
 * as the {@code postgres} system user (PostgreSQL refuses to run as root).
 * <p>
 * The superuser {@code postgres} connects without a password from 127.0.0.1 ({@link #admin()}); every other role
 * needs its password ({@code scram-sha-256}), so a role created with {@link #createRole(String, String)} proves that
 * clients use the current password.
 * <pre>{@code
 * try (PostgresServer postgres = PostgresServer.start()) {
 *     postgres.createRole("app", "pw1");            // role app and database app, owned by it
 *     String url = postgres.jdbcUrl("app");
 *     postgres.password("app", "pw2");               // ALTER ROLE app PASSWORD 'pw2'
 *     postgres.kill();                               // SIGKILL every server process, as a crash
 *     postgres.restart();                            // same data directory and port; crash recovery
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {
    /** Longest wait for the server to accept connections after a start. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Path bin;
    private final Path dir;
    private final int port;
    private Process process;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /**
     * Create a cluster in a new temporary directory, start it on a free port and wait until it accepts connections.
     *
     * @return running server; {@link #close()} stops it and deletes its files
     */
    public static PostgresServer start() {
        try {
            Path dir = Files.createTempDirectory("postgres-server");
            PostgresServer postgres = new PostgresServer(binDirectory(), dir, ServiceProcess.freePort());
            postgres.initdb();
            postgres.restart();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The port it listens on (127.0.0.1).
     *
     * @return port
     */
    public int port() {
        return port;
    }

    /**
     * JDBC URL of a database.
     *
     * @param database database name, e.g. {@code postgres} or a database made by {@link #createRole(String, String)}
     * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>}
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /**
     * A superuser connection to the {@code postgres} database (close it).
     *
     * @return connection
     * @throws SQLException if the server does not answer
     */
    public Connection admin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
    }

    /**
     * Create a login role with a password and a database of the same name owned by it.
     *
     * @param role     role name, a lower-case SQL identifier
     * @param password its password
     */
    public void createRole(String role, String password) {
        requireRole(role);
        sql("CREATE ROLE " + role + " LOGIN PASSWORD " + literal(password), "CREATE DATABASE " + role + " OWNER " + role);
    }

    /**
     * Change a role's password ({@code ALTER ROLE ... PASSWORD}): new connections must use it; open sessions stay.
     *
     * @param role     role name
     * @param password new password
     */
    public void password(String role, String password) {
        requireRole(role);
        sql("ALTER ROLE " + role + " PASSWORD " + literal(password));
    }

    /**
     * Run statements as the superuser, each in its own transaction.
     *
     * @param statements SQL statements
     */
    public void sql(String... statements) {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on the private PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * Start the server (again) on the same data directory and port, and wait until it accepts connections. After
     * {@link #kill()} this runs crash recovery: every transaction committed before the kill is there.
     */
    public void restart() {
        List<String> command = asPostgresUser(bin.resolve("postgres").toString(), "-D", dataDirectory().toString(),
                                              "-p", Integer.toString(port),
                                              "-c", "listen_addresses=127.0.0.1",
                                              "-c", "unix_socket_directories=" + dir,
                                              "-c", "max_connections=60",
                                              "-c", "shared_buffers=16MB");
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + bin.resolve("postgres"), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with " + process.exitValue() + "; see " + log());
            }
            try (Connection ignored = admin()) {
                return;
            } catch (SQLException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException("postgres did not accept connections on port " + port + " within " + START_TIMEOUT);
    }

    /**
     * Fast shutdown (SIGINT: sessions are ended, committed data flushed), waiting until every server process has exited.
     */
    public void stop() {
        signal("INT", process.pid());
        awaitExit(List.of(process.toHandle()));
    }

    /**
     * Crash: SIGKILL the postmaster and every backend at once, as when the machine or container dies. Clients see their
     * connections drop and new ones refused until {@link #restart()}.
     */
    public void kill() {
        ProcessHandle postmaster = process.toHandle();
        // stopped first, so it forks no backend between the listing and the kill
        signal("STOP", postmaster.pid());
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        awaitExit(all);
    }

    /**
     * Whether the server process runs.
     *
     * @return true between a start and a stop or kill
     */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * The server's log file (all starts appended).
     *
     * @return path
     */
    public Path log() {
        return dir.resolve("postgres.log");
    }

    /**
     * Stop the server if it runs, then delete its files.
     */
    @Override
    public void close() {
        if (isRunning()) {
            stop();
        }
        delete(dir);
    }

    private Path dataDirectory() {
        return dir.resolve("data");
    }

    private void initdb() throws IOException {
        if (isRoot()) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        }
        run(asPostgresUser(bin.resolve("initdb").toString(), "-D", dataDirectory().toString(), "-U", "postgres",
                           "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"));
        // the superuser from loopback without a password (the fixture's own connection); every other role needs one
        Files.writeString(dataDirectory().resolve("pg_hba.conf"), """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all all 127.0.0.1/32 scram-sha-256
                """);
    }

    private void run(List<String> command) throws IOException {
        Process init = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("initdb.log").toFile()))
                .start();
        try {
            if (!init.waitFor(60, TimeUnit.SECONDS) || init.exitValue() != 0) {
                init.destroyForcibly();
                throw new IllegalStateException("initdb failed; see " + dir.resolve("initdb.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running initdb", e);
        }
    }

    private static List<String> asPostgresUser(String... command) {
        List<String> result = new ArrayList<>();
        if (isRoot()) {
            // exec, not fork: the started process is the postmaster itself, so kill() reaches it
            result.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups", "--"));
        }
        result.addAll(List.of(command));
        return result;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path binDirectory() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                    .max(Comparator.comparingInt(PostgresServer::majorVersion))
                    .orElseThrow(() -> new IllegalStateException("No PostgreSQL server under " + base));
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling postgres", e);
        }
    }

    private static void awaitExit(List<ProcessHandle> processes) {
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for postgres to exit", e);
            } catch (Exception e) {
                throw new IllegalStateException("postgres process " + handle.pid() + " did not exit", e);
            }
        }
    }

    private static void requireRole(String role) {
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("Role names are lower-case SQL identifiers: " + role);
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for postgres", e);
        }
    }

    private static void delete(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
