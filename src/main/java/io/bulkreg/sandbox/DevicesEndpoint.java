package io.bulkreg.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.bulkreg.sandbox.SandboxAnswer.CutShort;
import io.bulkreg.sandbox.SandboxAnswer.Respond;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP side of the sandbox: routes, reads bodies, checks the token, writes answers, keeps the ledger and calls the
 * listener. Runs on several executor threads at once; all shared state lives in thread-safe collaborators.
 */
final class DevicesEndpoint implements HttpHandler {

    static final String DEVICES_PATH = "/mcs/v2/devices";
    private static final String POST = "POST";
    private static final String GET = "GET";
    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";
    private static final String CONTENT_TYPE = "Content-Type";
    private static final String APPLICATION_JSON = "application/json";
    private static final String RETRY_AFTER = "Retry-After";
    private static final int NO_BODY = -1;

    private static final Logger log = LoggerFactory.getLogger(DevicesEndpoint.class);

    private final SandboxSettings settings;
    private final RequestLedger ledger;
    private final DeviceRegistry registry;
    private final RequestBodyParser parser = new RequestBodyParser();
    private final RegisterDecision decision;
    private final AnswerBodies bodies;
    private final byte[] expectedAuthorization;
    private final RateWindow rate;
    private volatile SandboxListener listener = new SandboxListener() { };

    DevicesEndpoint(SandboxSettings settings, RequestLedger ledger, DeviceRegistry registry, AnswerBodies bodies) {
        this.settings = settings;
        this.ledger = ledger;
        this.registry = registry;
        this.bodies = bodies;
        this.decision = new RegisterDecision(new DeviceValidator(settings), registry, bodies);
        this.expectedAuthorization = (BEARER + settings.token()).getBytes(StandardCharsets.UTF_8);
        this.rate = settings.maxRequestsPerSecond() == null ? null : new RateWindow(settings.maxRequestsPerSecond());
    }

    void setListener(SandboxListener listener) {
        this.listener = listener == null ? new SandboxListener() { } : listener;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (InterruptedException e) {
            // The sandbox is closing: leave without an answer.
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("sandbox exchange failed: {}", e.toString());
        } catch (RuntimeException e) {
            log.warn("sandbox handler failed", e);
        } finally {
            // Closes the connection outright when no response was sent (that is how a drop looks to the client).
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException, InterruptedException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals(DEVICES_PATH) || path.equals(DEVICES_PATH + "/")) {
            if (POST.equals(method)) {
                register(exchange);
            } else {
                write(exchange, decision.error(SandboxErrorCode.METHOD_NOT_ALLOWED));
            }
        } else if (path.startsWith(DEVICES_PATH + "/")) {
            if (GET.equals(method)) {
                read(exchange, path.substring(DEVICES_PATH.length() + 1));
            } else {
                write(exchange, decision.error(SandboxErrorCode.METHOD_NOT_ALLOWED));
            }
        } else {
            write(exchange, decision.error(SandboxErrorCode.DEVICE_NOT_FOUND));
        }
    }

    private void register(HttpExchange exchange) throws IOException, InterruptedException {
        long arrived = System.nanoTime();
        RequestLedger.Admission admission = ledger.admit(arrived);
        int requestNo = admission.requestNo();
        SandboxAnswer answer;
        try {
            answer = decide(exchange, admission, arrived);
            sleep(settings.latency());
            if (answer instanceof Respond respond) {
                sleep(respond.delay());
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // No answer will be written: the client sees the connection close.
            ledger.answered(requestNo, ReceivedRequest.DROPPED);
            listener.answered(requestNo, ReceivedRequest.DROPPED);
            throw e;
        }
        int status = answer instanceof Respond respond ? respond.status()
                : answer instanceof CutShort cut ? cut.status()
                : answer instanceof SandboxAnswer.Endless endless ? endless.status() : ReceivedRequest.DROPPED;
        // Ledger first: a test that has seen the answer must also see it in the ledger.
        ledger.answered(requestNo, status);
        try {
            if (answer instanceof Respond respond) {
                write(exchange, respond);
            } else if (answer instanceof CutShort cut) {
                writeHalf(exchange, cut);
            } else if (answer instanceof SandboxAnswer.Endless endless) {
                writeWithoutEnd(exchange, endless);
            } else {
                exchange.close();
            }
        } finally {
            listener.answered(requestNo, status);
        }
    }

    private SandboxAnswer decide(HttpExchange exchange, RequestLedger.Admission admission, long arrived)
            throws IOException {
        byte[] body = readBody(exchange);
        ParsedBody parsed = null;
        SandboxRejection parseError = null;
        try {
            parsed = parser.parse(body);
        } catch (SandboxRejection rejection) {
            parseError = rejection;
        }
        int deviceCount = parsed == null ? 0 : parsed.deviceCount();
        ledger.counted(admission.requestNo(), deviceCount);
        if (parsed != null) {
            ledger.carried(parsed.deviceNodes().stream().map(DevicesEndpoint::sent).toList());
        }
        listener.received(admission.requestNo(), deviceCount);
        OptionalInt throttled = rate == null ? OptionalInt.empty() : rate.admit(arrived);
        if (throttled.isPresent()) {
            return decision.throttled(throttled.getAsInt());
        }
        return decision.decide(admission.requestNo(), admission.fault(), authorized(exchange), parsed, parseError);
    }

    private void read(HttpExchange exchange, String ids) throws IOException {
        readBody(exchange);
        if (!authorized(exchange)) {
            write(exchange, decision.tokenIncorrect());
            return;
        }
        List<SandboxDevice> found = registry.find(Arrays.asList(ids.split(",")));
        if (found.isEmpty()) {
            write(exchange, decision.error(SandboxErrorCode.DEVICE_NOT_FOUND));
        } else {
            write(exchange, Respond.json(HttpStatusCodes.OK, bodies.devices(found)));
        }
    }

    private static SentDevice sent(JsonNode node) {
        return new SentDevice(text(node, "prodId"), text(node, "name"), text(node, "serial"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isString() ? null : value.stringValue();
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(AUTHORIZATION);
        // Constant-time comparison: a sandbox should not teach clients that timing leaks are fine.
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        // Read everything before answering or dropping, so the client's write never races a reset.
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void write(HttpExchange exchange, Respond answer) throws IOException {
        exchange.getResponseHeaders().set(CONTENT_TYPE, APPLICATION_JSON);
        if (answer.retryAfterSeconds() != null) {
            exchange.getResponseHeaders().set(RETRY_AFTER, Integer.toString(answer.retryAfterSeconds()));
        }
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? NO_BODY : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The headers promise the whole body; half of it is written, then the connection is closed under it. */
    private static void writeHalf(HttpExchange exchange, CutShort answer) throws IOException {
        exchange.getResponseHeaders().set(CONTENT_TYPE, APPLICATION_JSON);
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.status(), body.length);
        OutputStream out = exchange.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        // Not closing the stream (it would refuse a short body): the exchange's close in handle() drops the connection.
    }

    /** Chunked, so that no length is promised; written until a write fails (the client hung up). */
    private static void writeWithoutEnd(HttpExchange exchange, SandboxAnswer.Endless answer) {
        exchange.getResponseHeaders().set(CONTENT_TYPE, APPLICATION_JSON);
        byte[] filler = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(answer.status(), 0);
            OutputStream out = exchange.getResponseBody();
            out.write(answer.start());
            while (!Thread.currentThread().isInterrupted()) {
                out.write(filler);
            }
        } catch (IOException hungUp) {
            // the client closed the connection: that is how this answer ends
        }
    }

    private static void sleep(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }
}
