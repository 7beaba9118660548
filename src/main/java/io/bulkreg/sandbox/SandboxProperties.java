package io.bulkreg.sandbox;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The built-in sandbox, used in the demo or when asked for by name ({@code bulkreg.sandbox.*}). */
@Validated
@ConfigurationProperties("bulkreg.sandbox")
public record SandboxProperties(
        @DefaultValue(SandboxSettings.DEFAULT_TOKEN) @NotBlank String token,
        @DefaultValue("100") @Min(1) int maxDevicesPerRequest,
        @DefaultValue("0ms") @NotNull Duration latency,
        @DefaultValue Set<String> productsRequiringSerial,
        String rejectNamesContaining,
        /* answer 429 with Retry-After to what goes beyond this rate; unset: no limit */
        @Min(1) Integer maxRequestsPerSecond) {

    public SandboxSettings toSettings() {
        SandboxSettings settings = SandboxSettings.defaults()
                .withToken(token)
                .withMaxDevicesPerRequest(maxDevicesPerRequest)
                .withLatency(latency)
                .withProductsRequiringSerial(productsRequiringSerial)
                .withMaxRequestsPerSecond(maxRequestsPerSecond);
        return rejectNamesContaining == null ? settings : settings.withRejectNamesContaining(rejectNamesContaining);
    }

    @Override
    public String toString() {
        return "SandboxProperties[token=***, maxDevicesPerRequest=" + maxDevicesPerRequest + ", latency=" + latency + "]";
    }
}
