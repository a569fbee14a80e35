package io.licensebatch.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}, which {@code .ci/run} installs), started
 * on a free port of its own for a test class and stopped after it, with no persistence: each test class sees only
 * what its runs pushed.
 */
public final class Pushgateway implements AutoCloseable {

    private static final String BINARY = "/usr/bin/prometheus-pushgateway";

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Pushgateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Pushgateway start() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install prometheus-pushgateway (.ci/run"
                    + " installs it)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("pushgateway-", ".log");
        Process process = new ProcessBuilder(BINARY, "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Pushgateway gateway = new Pushgateway(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Pushgateway did not start: " + Files.readString(log));
            }
            try {
                if (gateway.get("/-/ready").statusCode() == 200) {
                    return gateway;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        gateway.close();
        throw new IllegalStateException("the Pushgateway is not ready after 20 s: " + Files.readString(log));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The metrics it holds, in the Prometheus text format, one sample per line (comments left out). */
    public List<String> samples() throws IOException, InterruptedException {
        return get("/metrics").body().lines().filter(line -> !line.startsWith("#")).toList();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
    }
}
