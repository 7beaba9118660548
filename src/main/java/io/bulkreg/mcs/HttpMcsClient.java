package io.bulkreg.mcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.util.Timeout;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * registerDevice over Apache HttpClient 5 (classic). One call is exactly one POST: HttpClient's automatic retries
 * (which by default resend on 429/503 and on some I/O errors) and redirects are off, because a resent POST can
 * register devices twice; retrying is the job's decision, made on the {@link RegistrationOutcome}.
 * Thread-safe; never logs the token or keys.
 */
public final class HttpMcsClient implements McsClient, AutoCloseable {

    private static final String BEARER = "Bearer ";
    /** Recheck pooled connections idle this long: the server may have closed them, and a POST on a dead one is in doubt. */
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(1);
    /** Ids per GET when reading devices: 50 ids of 20 characters keep the URL near 1,000 characters. */
    static final int IDS_PER_READ = 50;

    private static final Logger log = LoggerFactory.getLogger(HttpMcsClient.class);

    private final McsClientSettings settings;
    private final CloseableHttpClient http;
    private final RegisterBodyWriter bodies = new RegisterBodyWriter();
    private final AnswerClassifier classifier;
    private final TransportFailures failures = new TransportFailures();
    private final String platform;

    /** A client whose requests are recorded under their endpoint URL. */
    public HttpMcsClient(McsClientSettings settings) {
        this(settings, settings.devicesEndpoint().toString());
    }

    /** @param platform how the requests of this client are recorded ({@link Platform#recordedAs()}) */
    public HttpMcsClient(McsClientSettings settings, String platform) {
        this(settings, platform, Clock.systemUTC());
    }

    HttpMcsClient(McsClientSettings settings, Clock clock) {
        this(settings, settings.devicesEndpoint().toString(), clock);
    }

    private HttpMcsClient(McsClientSettings settings, String platform, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.platform = Objects.requireNonNull(platform, "platform");
        this.classifier = new AnswerClassifier(clock);
        this.http = buildHttpClient(settings);
    }

    private static CloseableHttpClient buildHttpClient(McsClientSettings settings) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout read = Timeout.of(settings.readTimeout());
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(read)
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                        .build())
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(read)
                        // Waiting for a pooled connection: the request has not left, so this failure is NotTaken.
                        .setConnectionRequestTimeout(read)
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
    }

    @Override
    public String platform() {
        return platform;
    }

    @Override
    public URI endpoint() {
        return settings.devicesEndpoint();
    }

    @Override
    public RegistrationOutcome register(List<DeviceRequest> devices) {
        Objects.requireNonNull(devices, "devices");
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("nothing to register");
        }
        if (settings.singleDeviceMode() && devices.size() != 1) {
            throw new IllegalArgumentException("single-device mode registers one device per call, got " + devices.size());
        }
        HttpPost post;
        try {
            byte[] body = settings.singleDeviceMode() ? bodies.single(devices.get(0)) : bodies.bulk(devices);
            post = new HttpPost(settings.devicesEndpoint());
            post.setHeader(HttpHeaders.AUTHORIZATION, BEARER + settings.token());
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        } catch (RuntimeException e) {
            // Nothing was written anywhere: the devices can wait again instead of staying in flight.
            return new RegistrationOutcome.NotTaken("the request could not be built (" + TransportFailures.describe(e)
                    + "): it never left", null, null);
        }

        RegistrationOutcome outcome = exchange(post, devices.size());
        log.debug("registerDevice with {} device(s): {}", devices.size(), outcome.getClass().getSimpleName());
        return outcome;
    }

    private RegistrationOutcome exchange(HttpPost post, int deviceCount) {
        // The answer is kept even if HttpClient fails afterwards while releasing the connection.
        AtomicReference<McsAnswer> answer = new AtomicReference<>();
        try {
            http.execute(post, response -> {
                answer.set(read(response, post::abort));
                return null;
            });
        } catch (IOException e) {
            if (answer.get() == null) {
                return failures.classify(e);
            }
        } catch (RuntimeException e) {
            if (answer.get() == null) {
                return failures.classify(e);
            }
        }
        return classifier.classify(answer.get(), deviceCount, settings.singleDeviceMode());
    }

    @Override
    public List<PlatformDevice> readDevices(List<String> deviceIds) {
        Objects.requireNonNull(deviceIds, "deviceIds");
        List<String> ids = List.copyOf(new LinkedHashSet<>(deviceIds));
        List<PlatformDevice> found = new ArrayList<>();
        // A few ids per GET: the id list is the URL path, and gateways refuse long URLs.
        for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
            found.addAll(readChunk(ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ))));
        }
        log.debug("read {} device(s) by id: {} found", ids.size(), found.size());
        return List.copyOf(found);
    }

    private List<PlatformDevice> readChunk(List<String> ids) {
        StringBuilder path = new StringBuilder();
        for (String id : ids) {
            path.append(path.length() == 0 ? "" : ",").append(URLEncoder.encode(id, StandardCharsets.UTF_8));
        }
        HttpGet get = new HttpGet(URI.create(settings.devicesEndpoint() + "/" + path));
        get.setHeader(HttpHeaders.AUTHORIZATION, BEARER + settings.token());
        McsAnswer answer;
        try {
            answer = http.execute(get, response -> read(response, get::abort));
        } catch (IOException | RuntimeException e) {
            throw new DeviceReadException("reading devices by id failed: " + TransportFailures.describe(e));
        }
        if (answer.status() == HttpStatus.SC_NOT_FOUND) {
            return List.of();
        }
        if (answer.status() != HttpStatus.SC_OK) {
            McsError error = McsErrorParser.parse(answer.status(), answer.body());
            throw new DeviceReadException("reading devices by id was refused: " + error.summary()
                    + (answer.status() == HttpStatus.SC_UNAUTHORIZED || answer.status() == HttpStatus.SC_FORBIDDEN
                            ? " (check BULKREG_MCS_TOKEN / BULKREG_MCS_TOKEN_FILE)" : ""));
        }
        if (answer.body() == null) {
            throw new DeviceReadException("reading devices by id: HTTP 200 but the answer could not be read: "
                    + answer.bodyFailure());
        }
        return devices(answer.body());
    }

    /**
     * The devices of a 200: {@code {"devices":[...]}} as the sandbox answers, or {@code {"results":[...]}}, a bare
     * array or one device object, as the platform's documentation does not fix the shape; entries without a
     * deviceId are left out.
     */
    private static List<PlatformDevice> devices(byte[] body) {
        JsonNode root;
        try {
            root = McsJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw new DeviceReadException("reading devices by id: HTTP 200 but the answer is not JSON");
        }
        List<JsonNode> entries = new ArrayList<>();
        JsonNode array = root == null ? null
                : root.isArray() ? root
                : root.has("devices") ? root.get("devices")
                : root.has("results") ? root.get("results")
                : null;
        if (array != null && array.isArray()) {
            array.forEach(entries::add);
        } else if (array != null && array.isObject()) {
            entries.add(array);
        } else if (root != null && root.isObject()) {
            entries.add(root);
        }
        List<PlatformDevice> devices = new ArrayList<>();
        for (JsonNode entry : entries) {
            String id = McsJson.text(entry, CredentialsReader.DEVICE_ID);
            if (id != null) {
                devices.add(new PlatformDevice(id, McsJson.text(entry, "prodId"), McsJson.text(entry, "name"),
                        McsJson.text(entry, "serial"), McsJson.text(entry, CredentialsReader.CHIP_NAME)));
            }
        }
        return devices;
    }

    /**
     * Reads status, Retry-After and the whole body; a body that fails mid-way is recorded, not thrown. A body over
     * {@link #MAX_ANSWER_BYTES} is cut off by {@code abort} (the connection closed at once): closing its stream would
     * read the rest to its end, and an answer without end would never return.
     */
    private static McsAnswer read(ClassicHttpResponse response, Runnable abort) {
        Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
        String retryAfterValue = retryAfter == null ? null : retryAfter.getValue();
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return new McsAnswer(response.getCode(), retryAfterValue, new byte[0], null);
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = null;
        try {
            in = entity.getContent();
            // Bounded: an answer is a few bytes per device; one without end (a broken or hostile server, a compressed
            // bomb) would exhaust the heap in the thread that holds another request's keys.
            in.transferTo(new BoundedOutput(received, MAX_ANSWER_BYTES));
            in.close();
            return new McsAnswer(response.getCode(), retryAfterValue, received.toByteArray(), null);
        } catch (BoundedOutput.Exceeded e) {
            abort.run();
            closeQuietly(in);
            return new McsAnswer(response.getCode(), retryAfterValue, null, "the answer is larger than "
                    + MAX_ANSWER_BYTES / 1024 / 1024 + " MiB: not read further", received.toByteArray());
        } catch (IOException e) {
            closeQuietly(in);
            // What arrived before the break is kept: it may hold keys the platform issued.
            return new McsAnswer(response.getCode(), retryAfterValue, null, TransportFailures.describe(e),
                    received.toByteArray());
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in == null) {
            return;
        }
        try {
            in.close();
        } catch (IOException | RuntimeException alreadyBroken) {
            // the connection is gone: nothing more to read or release
        }
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    /**
     * The most of an answer read (a few hundred bytes per device is usual; this leaves room for keys of kilobytes and
     * devices read back with long names); what came before the limit is kept like an answer that broke off.
     */
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    /** Takes bytes up to a limit, then refuses. */
    private static final class BoundedOutput extends OutputStream {
        static final class Exceeded extends IOException {
            Exceeded() {
                super("answer limit exceeded");
            }
        }

        private final ByteArrayOutputStream target;
        private final int limit;

        BoundedOutput(ByteArrayOutputStream target, int limit) {
            this.target = target;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int room = limit - target.size();
            if (length > room) {
                target.write(bytes, offset, Math.max(0, room));
                throw new Exceeded();
            }
            target.write(bytes, offset, length);
        }
    }
}
