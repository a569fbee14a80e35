package io.licensebatch.db;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Who has the embedded H2 file database open. H2 lets one process open a file database at a time, so a second
 * shell's {@code status} or {@code stop} cannot read it while a job runs. The process that opens it writes a small
 * file beside it ({@code NAME.holder}: its pid, since when, and the execution it runs), so that the second shell
 * can say who holds the database, and {@code stop} can reach that process (SIGTERM: it stops at the next chunk
 * boundary) without the database. The file says nothing once its process is gone (a killed one leaves it, and
 * the next process to open the database writes over it).
 */
@Component
public class EmbeddedDatabaseHolder implements DisposableBean {

    /** What a holder file says. */
    public record Holder(long pid, LocalDateTime since, Long execution) {

        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        public String describe() {
            return "pid " + pid + (execution == null ? "" : ", running execution " + execution) + ", since "
                    + since.withNano(0);
        }
    }

    private final Path file;
    private final LocalDateTime since = LocalDateTime.now();

    /** Opens the database first: only a process that has it open may say it holds it. */
    public EmbeddedDatabaseHolder(@Value("${spring.datasource.url}") String url, DataSource dataSource)
            throws SQLException {
        this.file = holderFile(url).orElse(null);
        if (file != null) {
            dataSource.getConnection().close();
            write(null);
        }
    }

    /** The holder file of an H2 file database's URL; empty for any other database. */
    public static Optional<Path> holderFile(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        String location = rest.contains(";") ? rest.substring(0, rest.indexOf(';')) : rest;
        if (location.toLowerCase(Locale.ROOT).startsWith("mem:")) {
            return Optional.empty();
        }
        if (location.toLowerCase(Locale.ROOT).startsWith("file:")) {
            location = location.substring("file:".length());
        }
        return Optional.of(Path.of(location + ".holder"));
    }

    /** Who holds the database of this URL, if a live process says it does. */
    public static Optional<Holder> of(String jdbcUrl) {
        Optional<Path> path = holderFile(jdbcUrl).filter(Files::isRegularFile);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(path.get())) {
            properties.load(in);
            Holder holder = new Holder(Long.parseLong(properties.getProperty("pid")),
                    LocalDateTime.parse(properties.getProperty("since")),
                    properties.getProperty("execution") == null ? null
                            : Long.parseLong(properties.getProperty("execution")));
            return Optional.of(holder).filter(Holder::alive);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // a file half-written by a process killed at that moment: nobody to name
        }
    }

    /** This process now runs this execution. */
    public void running(long executionId) {
        write(executionId);
    }

    /** As the database closes: the file goes, if it is still this process's. */
    @Override
    public void destroy() throws IOException {
        if (file != null && Files.isRegularFile(file)
                && Files.readString(file).startsWith("pid=" + ProcessHandle.current().pid() + "\n")) {
            Files.deleteIfExists(file);
        }
    }

    private void write(Long execution) {
        if (file == null) {
            return;
        }
        String text = "pid=" + ProcessHandle.current().pid() + "\nsince=" + since + "\n"
                + (execution == null ? "" : "execution=" + execution + "\n");
        try {
            Path temporary = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(temporary, text);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (who holds the embedded database)", e);
        }
    }
}
