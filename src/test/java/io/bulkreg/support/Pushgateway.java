package io.bulkreg.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Prometheus Pushgateway (Debian's prometheus-pushgateway; .ci/run installs it) on a free port of 127.0.0.1,
 * for the specs that read a run's pushed meters back as Prometheus would scrape them. Where it is not installed,
 * {@link #start} skips the test, saying so.
 */
public final class Pushgateway implements AutoCloseable {

    private final Process process;
    private final int port;

    private Pushgateway(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Optional<Path> binary() {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .map(d -> Path.of(d, "prometheus-pushgateway"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Starts one, its log under {@code dir}; returns once it answers ready. */
    public static Pushgateway start(Path dir) throws Exception {
        Optional<Path> binary = binary();
        assumeTrue(binary.isPresent(), "prometheus-pushgateway is not installed (apt-get install prometheus-pushgateway; "
                + ".ci/run installs it): the Pushgateway test is skipped");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("pushgateway.log");
        // In memory only: Debian's build persists to /var/lib/prometheus/pushgateway.data by default, which would hand
        // this run the figures another test (or another user's) pushed earlier under the same job name.
        Process process = new ProcessBuilder(binary.get().toString(), "--web.listen-address=127.0.0.1:" + port,
                        "--persistence.file=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Pushgateway gateway = new Pushgateway(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (gateway.get("/-/ready").statusCode() == 200) {
                    return gateway;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        gateway.close();
        throw new IllegalStateException("the Pushgateway did not start: " + Files.readString(log));
    }

    /** The properties that make a run push its meters here, under {@code job}. */
    public Map<String, Object> properties(String job) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("management.prometheus.metrics.export.pushgateway.enabled", "true");
        p.put("management.prometheus.metrics.export.pushgateway.address", "127.0.0.1:" + port);
        p.put("management.prometheus.metrics.export.pushgateway.job", job);
        return p;
    }

    /** The same, as the environment variables of a job started as a process (its command line takes bulkreg's only). */
    public Map<String, String> environment(String job) {
        Map<String, String> env = new LinkedHashMap<>();
        properties(job).forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", ""),
                String.valueOf(v)));
        return env;
    }

    /** What it exposes to Prometheus now. */
    public String metrics() throws Exception {
        return get("/metrics").body();
    }

    /** The value of the series {@code name} whose labels contain {@code label} (e.g. {@code cause="throttled"}). */
    public static double value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label) + "[^}]*} (\\S+)$")
                .matcher(metrics);
        assertThat(m.find()).as(name + "{" + label + "} in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
