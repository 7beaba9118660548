package io.bulkreg.mcs;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link HttpMcsClient} reaches the platform. {@code baseUrl} is the platform's address as written: the host
 * root (and optional path prefix), {@code .../mcs/v2} or {@code .../mcs/v2/devices}. {@code singleDeviceMode} uses the later one-device-per-POST revision.
 */
public record McsClientSettings(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout,
                                boolean singleDeviceMode, int maxConnections) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 4;

    public McsClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String problem = PlatformEndpoint.problem(baseUrl);
        if (problem != null) {
            throw new IllegalArgumentException("baseUrl " + problem);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, was " + maxConnections);
        }
    }

    /** Bulk mode, 5 s connect timeout, 30 s read timeout, 4 connections. */
    public static McsClientSettings of(URI baseUrl, String token) {
        return new McsClientSettings(baseUrl, token, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, false, DEFAULT_MAX_CONNECTIONS);
    }

    public McsClientSettings withConnectTimeout(Duration timeout) {
        return new McsClientSettings(baseUrl, token, timeout, readTimeout, singleDeviceMode, maxConnections);
    }

    public McsClientSettings withReadTimeout(Duration timeout) {
        return new McsClientSettings(baseUrl, token, connectTimeout, timeout, singleDeviceMode, maxConnections);
    }

    public McsClientSettings withSingleDeviceMode(boolean single) {
        return new McsClientSettings(baseUrl, token, connectTimeout, readTimeout, single, maxConnections);
    }

    public McsClientSettings withMaxConnections(int max) {
        return new McsClientSettings(baseUrl, token, connectTimeout, readTimeout, singleDeviceMode, max);
    }

    /** The registerDevice endpoint: {@link #baseUrl()} may be the host root, {@code .../mcs/v2} or the full URL. */
    public URI devicesEndpoint() {
        return PlatformEndpoint.devicesEndpoint(baseUrl);
    }

    /** Never shows the token: settings get logged, tokens must not. */
    @Override
    public String toString() {
        return "McsClientSettings[baseUrl=" + baseUrl + ", token=***, connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", singleDeviceMode=" + singleDeviceMode
                + ", maxConnections=" + maxConnections + "]";
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
