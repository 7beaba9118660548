package io.bulkreg.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real local HTTP server that plays the MCS v2 registerDevice API, for tests and for dry runs of the job.
 *
 * <p>Endpoints (both need {@code Authorization: Bearer <token>}):
 * <ul>
 *   <li>{@code POST /mcs/v2/devices}: body {@code {"devices":[{prodId,name,isTest,description?,serial?}...]}}, answer
 *   {@code {"credentials":[{deviceId, deviceKey}...]}} in request order, the key spelled {@code deivceKey} (the docs'
 *   typo) at positions 0, 2, 4... and {@code deviceKey} elsewhere. A JSON object without {@code devices} is the
 *   single-device revision: answer {@code {deviceId, deviceKey, chipName}}.</li>
 *   <li>{@code GET /mcs/v2/devices/{id[,id...]}}: the known devices among the ids, without keys (404 if none).</li>
 * </ul>
 *
 * <p>Errors refuse the whole request, register nothing and never say which device was at fault. A wrong or missing
 * token answers 401 in the later shape {@code {"errors":[{"code":4001,"message":"token is incorrect"}],
 * "statusCode":401,"message":"Unauthorized"}}; everything else answers registerDevice.md's shape
 * {@code {"results":{"code","url","description"}}} with these codes ({@link SandboxErrorCode}):
 * <table>
 *   <caption>Error codes</caption>
 *   <tr><th>code</th><th>HTTP</th><th>cause</th></tr>
 *   <tr><td>4000</td><td>400</td><td>body is not a JSON object</td></tr>
 *   <tr><td>4010</td><td>400</td><td>prodId or name missing/empty/not a string, or isTest missing</td></tr>
 *   <tr><td>4011</td><td>400</td><td>isTest is not a JSON boolean</td></tr>
 *   <tr><td>4012</td><td>400</td><td>serial does not match {@code [A-Za-z0-9]{1,49}}</td></tr>
 *   <tr><td>4013</td><td>400</td><td>non-test device without serial of a product in productsRequiringSerial</td></tr>
 *   <tr><td>4014</td><td>400</td><td>(prodId, serial) already registered</td></tr>
 *   <tr><td>4015</td><td>400</td><td>(prodId, serial) twice in the request</td></tr>
 *   <tr><td>4016</td><td>413</td><td>more devices than maxDevicesPerRequest</td></tr>
 *   <tr><td>4017</td><td>400</td><td>devices is not an array, or is empty</td></tr>
 *   <tr><td>4018</td><td>400</td><td>description, serial or deviceImageURL present but not a string</td></tr>
 *   <tr><td>4022</td><td>400</td><td>a device name contains rejectNamesContaining</td></tr>
 *   <tr><td>1002</td><td>403</td><td>injected {@code Status(403)}</td></tr>
 *   <tr><td>9000+status</td><td>status</td><td>other injected {@link SandboxFault.Status} (429 in the later shape)</td></tr>
 * </table>
 *
 * <p>Strings are stored exactly as received. All public methods are thread-safe. Never logs tokens or keys.
 */
public final class McsSandbox implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final int BACKLOG = 64;
    private static final long STOP_WAIT_SECONDS = 2;

    static {
        // The JDK server leaves Nagle's algorithm on: every answer then waited ~40 ms for a delayed ACK, which
        // made the sandbox, not the job, the bottleneck of every benchmark. Read once, when the server class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final RequestLedger ledger;
    private final DeviceRegistry registry;
    private final DevicesEndpoint endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();

    private McsSandbox(HttpServer server, ExecutorService executor, String baseUrl, RequestLedger ledger,
                       DeviceRegistry registry, DevicesEndpoint endpoint) {
        this.server = server;
        this.executor = executor;
        this.baseUrl = baseUrl;
        this.ledger = ledger;
        this.registry = registry;
        this.endpoint = endpoint;
    }

    /** Binds 127.0.0.1 on {@code settings.port()} (0 = ephemeral) and starts serving. */
    public static McsSandbox start(SandboxSettings settings) {
        Objects.requireNonNull(settings, "settings");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), settings.port()), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the MCS sandbox on port " + settings.port(), e);
        }
        String baseUrl = "http://" + LOOPBACK + ":" + server.getAddress().getPort();
        RequestLedger ledger = new RequestLedger();
        DeviceRegistry registry = new DeviceRegistry(Clock.systemUTC());
        DevicesEndpoint endpoint = new DevicesEndpoint(settings, ledger, registry, new AnswerBodies(baseUrl));
        // Several threads: concurrent clients, and a listener that blocks one request must not block the others.
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", endpoint);
        server.start();
        return new McsSandbox(server, executor, baseUrl, ledger, registry, endpoint);
    }

    /**
     * Starts a sandbox, prints where it listens (never the token) and blocks until the thread is interrupted or the
     * JVM shuts down; either way the sandbox is closed.
     */
    public static void runUntilInterrupted(SandboxSettings settings) {
        McsSandbox sandbox = start(settings);
        CountDownLatch shutdown = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sandbox.close();
            shutdown.countDown();
        }, "mcs-sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("MCS sandbox listening on " + sandbox.baseUrl() + " (token from settings)");
        try {
            shutdown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sandbox.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or has run; nothing left to undo.
            }
        }
    }

    /** E.g. {@code http://127.0.0.1:54321}; the endpoint is {@code baseUrl() + "/mcs/v2/devices"}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The next {@code times} POSTs (after those already armed) each spend one {@code fault}. */
    public void arm(SandboxFault fault, int times) {
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, was " + times);
        }
        ledger.arm(fault, times);
    }

    /** Replaces the listener; null removes it. */
    public void setListener(SandboxListener listener) {
        endpoint.setListener(listener);
    }

    /** Every registered device, in registration order. */
    public List<SandboxDevice> devices() {
        return registry.all();
    }

    /** Every POST received, whatever its answer. */
    public int requestCount() {
        return ledger.count();
    }

    /** Every POST received, by request number. */
    public List<ReceivedRequest> requests() {
        return ledger.all();
    }

    /** How many POSTs carried each device, whatever their answers (throttled, refused, in doubt included). */
    public Map<SentDevice, Integer> sendsPerDevice() {
        return ledger.sends();
    }

    /** When each POST arrived ({@link System#nanoTime()}), in request order: what a rate is measured on. */
    public List<Long> arrivalNanos() {
        return ledger.arrivals();
    }

    /** How many devices hold this (prodId, serial); serial null counts devices of the product without serial. */
    public int registrationsOf(String prodId, String serial) {
        return registry.registrationsOf(prodId, serial);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        // Interrupts handlers that sleep (latency, Hang) or block in a listener.
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "mcs-sandbox-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
