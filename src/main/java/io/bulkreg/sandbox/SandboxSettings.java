package io.bulkreg.sandbox;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link McsSandbox} behaves. {@code port} 0 binds an ephemeral port. {@code rejectNamesContaining}, when
 * not null, makes every request that carries a device whose name contains it answer 400 code 4022 (the whole
 * request, without saying which device), to exercise the job's handling of an unspecific rejection.
 * {@code maxRequestsPerSecond}, when not null, throttles (429) what goes beyond that rate.
 */
public record SandboxSettings(int port, String token, int maxDevicesPerRequest, Duration latency,
                              Set<String> productsRequiringSerial, String rejectNamesContaining,
                              Integer maxRequestsPerSecond) {

    public static final String DEFAULT_TOKEN = "sandbox-token";
    public static final int DEFAULT_MAX_DEVICES_PER_REQUEST = 100;

    public SandboxSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        if (maxDevicesPerRequest < 1) {
            throw new IllegalArgumentException("maxDevicesPerRequest must be >= 1, was " + maxDevicesPerRequest);
        }
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        productsRequiringSerial = Set.copyOf(Objects.requireNonNull(productsRequiringSerial, "productsRequiringSerial"));
        if (rejectNamesContaining != null && rejectNamesContaining.isEmpty()) {
            throw new IllegalArgumentException("rejectNamesContaining must be null or non-empty");
        }
        if (maxRequestsPerSecond != null && maxRequestsPerSecond < 1) {
            throw new IllegalArgumentException("maxRequestsPerSecond must be null or >= 1, was " + maxRequestsPerSecond);
        }
    }

    /** Ephemeral port, token "sandbox-token", 100 devices per request, no latency, no serial rules, no rejections. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(0, DEFAULT_TOKEN, DEFAULT_MAX_DEVICES_PER_REQUEST, Duration.ZERO, Set.of(), null, null);
    }

    public SandboxSettings withPort(int port) {
        return new SandboxSettings(port, token, maxDevicesPerRequest, latency, productsRequiringSerial, rejectNamesContaining, maxRequestsPerSecond);
    }

    public SandboxSettings withToken(String token) {
        return new SandboxSettings(port, token, maxDevicesPerRequest, latency, productsRequiringSerial, rejectNamesContaining, maxRequestsPerSecond);
    }

    public SandboxSettings withMaxDevicesPerRequest(int max) {
        return new SandboxSettings(port, token, max, latency, productsRequiringSerial, rejectNamesContaining, maxRequestsPerSecond);
    }

    public SandboxSettings withLatency(Duration latency) {
        return new SandboxSettings(port, token, maxDevicesPerRequest, latency, productsRequiringSerial, rejectNamesContaining, maxRequestsPerSecond);
    }

    public SandboxSettings withProductsRequiringSerial(Set<String> products) {
        return new SandboxSettings(port, token, maxDevicesPerRequest, latency, products, rejectNamesContaining, maxRequestsPerSecond);
    }

    public SandboxSettings withRejectNamesContaining(String marker) {
        return new SandboxSettings(port, token, maxDevicesPerRequest, latency, productsRequiringSerial, marker, maxRequestsPerSecond);
    }

    /**
     * Enforce the platform's rate limit: a POST that would make more than {@code max} taken in the last second is
     * answered 429 with Retry-After, registering nothing; null: no limit.
     */
    public SandboxSettings withMaxRequestsPerSecond(Integer max) {
        return new SandboxSettings(port, token, maxDevicesPerRequest, latency, productsRequiringSerial, rejectNamesContaining, max);
    }

    /** Never shows the token: settings get logged, tokens must not. */
    @Override
    public String toString() {
        return "SandboxSettings[port=" + port + ", token=***, maxDevicesPerRequest=" + maxDevicesPerRequest
                + ", latency=" + latency + ", productsRequiringSerial=" + productsRequiringSerial
                + ", rejectNamesContaining=" + rejectNamesContaining + ", maxRequestsPerSecond=" + maxRequestsPerSecond + "]";
    }
}
