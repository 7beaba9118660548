package io.bulkreg.mcs;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link HttpMcsClient} reaches the platform. {@code baseUrl} is the scheme and authority (and optional path
 * prefix) in front of {@code /mcs/v2/devices}. {@code singleDeviceMode} uses the later one-device-per-POST revision.
 */
public record McsClientSettings(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout,
                                boolean singleDeviceMode, int maxConnections) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 4;

    public McsClientSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl needs a scheme and a host: " + baseUrl);
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

    /** The registerDevice endpoint under {@link #baseUrl()}. */
    public URI devicesEndpoint() {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/mcs/v2/devices");
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
