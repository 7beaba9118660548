package io.bulkreg.job;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The liveness lease of a running job execution, and its end on SIGTERM ({@code bulkreg.lease.*}). An execution still STARTED
 * whose process is gone (same host) or whose heartbeat is older than {@code staleAfter} is recovered.
 */
@Validated
@ConfigurationProperties("bulkreg.lease")
public record LeaseProperties(
        @DefaultValue("10s") @NotNull Duration heartbeat,
        @DefaultValue("60s") @NotNull Duration staleAfter,
        /* on SIGTERM, how long to wait for the request in hand before the process ends anyway */
        @DefaultValue("40s") @NotNull Duration shutdownGrace) {
}
