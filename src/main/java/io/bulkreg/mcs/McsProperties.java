package io.bulkreg.mcs;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How to reach the MCS platform ({@code bulkreg.mcs.*}). The built-in sandbox is used only when asked for
 * ({@code use-sandbox}) or in the zero-configuration demo; which of the two the run uses is decided with the command
 * line ({@code cli.PlatformChoice}). The token comes from {@code token} (environment: BULKREG_MCS_TOKEN) or
 * {@code token-file} (a Kubernetes Secret mount); never from job parameters or arguments.
 */
@Validated
@ConfigurationProperties("bulkreg.mcs")
public record McsProperties(
        URI baseUrl,
        String token,
        Path tokenFile,
        @DefaultValue("50") @Min(1) @Max(100) int devicesPerRequest,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @DefaultValue("30s") @NotNull Duration readTimeout,
        @DefaultValue("false") boolean singleDevice,
        @DefaultValue("false") boolean allowInsecureHttp,
        /* the built-in sandbox as the platform, asked for by name (BULKREG_MCS_USESANDBOX) */
        @DefaultValue("false") boolean useSandbox,
        /* send to this platform although the database holds credentials another one issued */
        @DefaultValue("false") boolean allowPlatformChange,
        /* the platform's limit for this process (BULKREG_MCS_MAXREQUESTSPERSECOND); unset: none, 429s slow the run */
        @Positive Integer maxRequestsPerSecond) {

    /** The URL requests go to, from {@code base-url} as written; null without one. */
    public URI devicesEndpoint() {
        return baseUrl == null ? null : PlatformEndpoint.devicesEndpoint(baseUrl);
    }

    @AssertTrue(message = "bulkreg.mcs.base-url must be an address such as https://mcs.example.com, "
            + "https://mcs.example.com/mcs/v2 or https://mcs.example.com/mcs/v2/devices, without user, query or fragment")
    public boolean isBaseUrlUsable() {
        return baseUrl == null || PlatformEndpoint.problem(baseUrl) == null;
    }

    @AssertTrue(message = "bulkreg.mcs.base-url and bulkreg.mcs.use-sandbox are both set: choose one platform "
            + "(unset BULKREG_MCS_USESANDBOX to register for real)")
    public boolean isOnePlatform() {
        return baseUrl == null || !useSandbox;
    }

    /** Requests carry one device each in the single-device API revision. */
    public int effectiveDevicesPerRequest() {
        return singleDevice ? 1 : devicesPerRequest;
    }

    @AssertTrue(message = "bulkreg.mcs.base-url must use https; plain http is allowed only for loopback addresses "
            + "or with bulkreg.mcs.allow-insecure-http=true")
    public boolean isTransportSecure() {
        if (baseUrl == null || "https".equalsIgnoreCase(baseUrl.getScheme()) || allowInsecureHttp) {
            return true;
        }
        return "http".equalsIgnoreCase(baseUrl.getScheme()) && isLoopback(baseUrl.getHost());
    }

    @AssertTrue(message = "bulkreg.mcs.read-timeout (BULKREG_MCS_READTIMEOUT) must be longer than 0: HttpClient takes 0 "
            + "as no limit, and no SIGTERM grace could then cover a request in hand")
    public boolean isReadTimeoutLimited() {
        return readTimeout == null || (!readTimeout.isZero() && !readTimeout.isNegative());
    }

    @AssertTrue(message = "a platform base URL is set but no token: set BULKREG_MCS_TOKEN or BULKREG_MCS_TOKEN_FILE")
    public boolean isTokenPresent() {
        return baseUrl == null || (token != null && !token.isBlank()) || tokenFile != null;
    }

    /** Reads the token when needed, so that a rotated Secret file is picked up by the next run; null when unset. */
    public String resolveToken() {
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the platform token file " + tokenFile, e);
            }
        }
        return token == null || token.isBlank() ? null : token.strip();
    }

    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "McsProperties[baseUrl=" + baseUrl + ", token=" + (token == null ? "unset" : "***") + ", tokenFile="
                + tokenFile + ", devicesPerRequest=" + devicesPerRequest + ", singleDevice=" + singleDevice + ", useSandbox="
                + useSandbox + ", maxRequestsPerSecond=" + maxRequestsPerSecond + "]";
    }
}
