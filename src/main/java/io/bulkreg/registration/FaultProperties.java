package io.bulkreg.registration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The knobs of the fault policy ({@code bulkreg.faults.*}); see docs/reliability.md. */
@Validated
@ConfigurationProperties("bulkreg.faults")
public record FaultProperties(
        /* attempts for a request the platform did not take (503, unreachable) before the run fails */
        @DefaultValue("5") @Min(1) int maxAttempts,
        @DefaultValue("1s") @NotNull Duration initialBackoff,
        @DefaultValue("30s") @NotNull Duration maxBackoff,
        /* a Retry-After longer than this is cut to it, so one answer cannot park the run for hours */
        @DefaultValue("120s") @NotNull Duration retryAfterCap,
        /* consecutive requests ending in doubt after which the run stops instead of doubting more */
        @DefaultValue("3") @Min(1) int inDoubtCircuitBreaker,
        /* devices refused in a row, none registered between, after which the run stops: a wrong product id or
           missing registration criteria would otherwise reject a whole lot, one isolating request at a time */
        @DefaultValue("25") @Min(1) int rejectionCircuitBreaker,
        /* send test devices in doubt again at the start of the next run: a duplicate test device is harmless */
        @DefaultValue("false") boolean resendInDoubtTestDevices,
        /* attempts to commit an answer's credentials before they are rescued to a file */
        @DefaultValue("3") @Min(1) int storeAttempts,
        /* where credentials the database refused wait for the next run (owner-only files) */
        @DefaultValue("data/rescue") @NotNull Path rescueDir,
        /* 429s for one request before the run fails: throttling slows the run down (fewer requests in flight, the
           platform's Retry-After) and does not spend max-attempts; this only ends a platform that never lets up */
        @DefaultValue("30") @Min(1) int maxThrottledAttempts,
        /* the platform's error codes for "already registered": a device resent after doubt and refused alone with one
           of them is HELD_BY_PLATFORM, outside the rejection breaker. The MCS documentation names no such code; 4014
           is the built-in sandbox's ("serial already registered"): set the one your platform answers */
        @DefaultValue("4014") @NotNull Set<Integer> alreadyRegisteredCodes,
        /* where a rescue goes when the rescue folder refuses it; unset: a folder of the temporary folder (another file
           system than a volume that filled up, on a host). In a container whose temporary folder dies with it, set a
           folder that outlives it, or the rescue folder's own volume: when that refuses too, the run keeps the keys in
           memory and keeps trying instead of writing where they would be lost */
        Path rescueFallbackDir) {
}
