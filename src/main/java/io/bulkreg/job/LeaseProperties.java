package io.bulkreg.job;

import jakarta.validation.constraints.AssertTrue;
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

    /** Beats a live run may miss (a GC pause, a slow database) before another process may take its lease. */
    public static final int BEATS_BEFORE_STALE = 3;

    @AssertTrue(message = "bulkreg.lease.stale-after (BULKREG_LEASE_STALEAFTER) must be at least three times "
            + "bulkreg.lease.heartbeat (BULKREG_LEASE_HEARTBEAT): a live run whose beat comes a little late would "
            + "otherwise be taken over by the next register or restart, and its requests in flight flagged in doubt")
    public boolean isStaleAfterSeveralBeats() {
        return heartbeat == null || staleAfter == null
                || staleAfter.compareTo(heartbeat.multipliedBy(BEATS_BEFORE_STALE)) >= 0;
    }
}
