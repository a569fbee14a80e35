package io.licensebatch.support;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own (initdb in a temporary folder, a free port, the machine's binaries), for the
 * tests that crash the database server itself: the machine's shared server is never crashed. It runs as the
 * {@code postgres} user (initdb refuses root) in a folder only that user can enter, is crashed by SIGKILL of every
 * one of its processes (what the server sees of a power cut, but for the operating system's page cache), recovers
 * on its next start, and is stopped and deleted by {@link #close}, or when the JVM exits if a test never got that
 * far. A JVM that is killed cannot do either: its folder carries its pid ({@code lbt-pg-PID-...}), and the next
 * server started here stops and deletes those of JVMs that are gone. Only a process whose command line names the
 * folder's data directory is ever signalled, never whatever now has a pid a stale {@code postmaster.pid} names.
 * It trusts connections from 127.0.0.1 while it runs (seconds): a test machine's, not a shared host's.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final String PREFIX = "lbt-pg-";
    private static final Pattern FOLDER = Pattern.compile(PREFIX + "(\\d+)-.*");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    /**
     * A new server, started.
     */
    public static PrivatePostgres start() {
        try {
            Path bin = binaries();
            removeThoseOfDeadJvms(bin);
            Path folder = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
            if (ROOT) {
                run(Duration.ofSeconds(10), List.of("chown", "postgres:postgres", folder.toString()));
            }
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            Path data = folder.resolve("data");
            int port = freePort();
            PrivatePostgres server = new PrivatePostgres(bin, data, port);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-private-postgres"));
            server.asPostgres(Duration.ofMinutes(1), bin.resolve("initdb").toString(), "-D", data.toString(),
                    "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            Files.write(data.resolve("postgresql.auto.conf"), List.of("port = " + port,
                    "listen_addresses = '127.0.0.1'", "unix_socket_directories = '" + folder + "'", "autovacuum = off",
                    "fsync = on", "checkpoint_timeout = '1h'", "max_wal_size = '8GB'"));
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDBC URL of a database of this server (user included). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** Creates a database and returns its URL. */
    public String createDatabase(String name) {
        Processes.jdbc(url("postgres")).execute("create database " + name);
        return url(name);
    }

    /**
     * Crashes the server: SIGKILL to the postmaster and every one of its processes at once, so nothing is
     * written or flushed on the way down. What an asynchronous commit had not yet written from the server's WAL
     * buffers is gone; what it had written stays (the page cache survives, as it does not in a power cut).
     */
    public void crash() {
        kill9(postmaster(data).orElseThrow(() -> new IllegalStateException("the private server is not running")));
    }

    /** The postmaster and all its processes, SIGKILL: the postmaster first, so that it cannot restart the others. */
    private static void kill9(ProcessHandle postmaster) {
        List<ProcessHandle> all = new ArrayList<>(List.of(postmaster));
        all.addAll(postmaster.children().toList());
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(process -> process.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    }

    /** The running postmaster of a data directory: the pid its postmaster.pid names, if that process serves it. */
    private static Optional<ProcessHandle> postmaster(Path data) {
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            String commandLine = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")))
                    .replace('\0', ' ');
            return commandLine.contains(" -D " + data) || commandLine.contains(" -D" + data)
                    ? ProcessHandle.of(pid) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no pid file, or no such process: not running
        }
    }

    /** The folders of servers whose JVM is gone (killed before it could stop them): stopped and deleted. */
    private static void removeThoseOfDeadJvms(Path bin) throws IOException {
        try (Stream<Path> folders = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path folder : folders.toList()) {
                Matcher matcher = FOLDER.matcher(folder.getFileName().toString());
                if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty()) {
                    new PrivatePostgres(bin, folder.resolve("data"), 0).close();
                }
            }
        }
    }

    /**
     * Where the server's WAL is on disk now (its flushed position): what a power cut at this moment would keep, a
     * point to recover to ({@link #recoverUpTo}).
     */
    public String walFlushedUpTo() {
        return Processes.jdbc(url("postgres")).queryForObject("select pg_current_wal_flush_lsn()::text", String.class);
    }

    /**
     * A copy of the server's files, taken with the server stopped cleanly (then started again): the base that
     * {@link #recoverUpTo} replays the WAL onto.
     */
    public void backUp() {
        asPostgres(Duration.ofMinutes(1), bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                "stop");
        run(Duration.ofMinutes(2), List.of("cp", "-a", data.toString(), backup().toString()));
        startServer();
    }

    /**
     * Brings the crashed server back as if its disk had kept the WAL only up to {@code lsn}: the files of the
     * last {@link #backUp}, the WAL the server wrote since, replayed up to that point and no further. Every
     * transaction that committed after it is gone, and none in part: the state a power cut leaves when commits
     * did not wait for the disk (PostgreSQL's asynchronous commit), made on purpose.
     */
    public void recoverUpTo(String lsn) {
        try {
            Path crashed = data.resolveSibling("crashed");
            run(Duration.ofMinutes(1), List.of("mv", data.toString(), crashed.toString()));
            run(Duration.ofMinutes(2), List.of("cp", "-a", backup().toString(), data.toString()));
            run(Duration.ofMinutes(2), List.of("cp", "-a", crashed.resolve("pg_wal") + "/.",
                    data.resolve("pg_wal").toString()));
            List<String> conf = new ArrayList<>(Files.readAllLines(data.resolve("postgresql.auto.conf")));
            List<String> recovery = List.of("restore_command = 'false'", "recovery_target_lsn = '" + lsn + "'",
                    "recovery_target_inclusive = on", "recovery_target_action = 'promote'");
            List<String> withRecovery = new ArrayList<>(conf);
            withRecovery.addAll(recovery);
            Files.write(data.resolve("postgresql.auto.conf"), withRecovery);
            Files.createFile(data.resolve("recovery.signal"));
            startServer();
            // The server takes connections (read only) as soon as it is consistent, before it has replayed up to
            // the point and opened: wait for that.
            awaitOutOfRecovery();
            Files.write(data.resolve("postgresql.auto.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path backup() {
        return data.resolveSibling("backup");
    }

    /** Starts the server again; after a crash it recovers from its WAL first. */
    public void startServer() {
        Path log = data.getParent().resolve("server.log");
        try {
            asPostgres(Duration.ofMinutes(2), bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    log.toString(), "-w", "-t", "110", "start");
        } catch (IllegalStateException e) {
            List<String> lines = new ArrayList<>();
            try {
                lines = Files.readAllLines(log);
            } catch (IOException unreadable) {
                e.addSuppressed(unreadable);
            }
            throw new IllegalStateException(e.getMessage() + "\nthe server's log ends:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())), e);
        }
    }

    private void awaitOutOfRecovery() {
        Awaitility.await("the private server's recovery").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> Boolean.FALSE.equals(Processes.jdbc(url("postgres"))
                        .queryForObject("select pg_is_in_recovery()", Boolean.class)));
    }

    /** Stops the server outright (it is thrown away: nothing needs to reach its disk) and deletes its folder. */
    @Override
    public void close() {
        postmaster(data).ifPresent(PrivatePostgres::kill9);
        if (!Files.exists(data.getParent())) {
            return;
        }
        try (Stream<Path> files = Files.walk(data.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete the private server's folder " + data.getParent() + ": " + e);
        }
    }

    private void asPostgres(Duration timeout, String... command) {
        List<String> all = new ArrayList<>();
        if (ROOT) {
            all.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        all.addAll(List.of(command));
        run(timeout, all);
    }

    private static void run(Duration timeout, List<String> command) {
        try {
            Path output = Files.createTempFile("lbt-pg-command", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not end within " + timeout + ": "
                            + Files.readString(output));
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(command + " failed (" + process.exitValue() + "): "
                            + Files.readString(output));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The machine's PostgreSQL binaries (Debian: /usr/lib/postgresql/VERSION/bin, the newest). */
    private static Path binaries() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(dir -> Files.isExecutable(dir.resolve("initdb")))
                    .max(Comparator.comparing(dir -> Integer.parseInt(dir.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under /usr/lib/postgresql"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
