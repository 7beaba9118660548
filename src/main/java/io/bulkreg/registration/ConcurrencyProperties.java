package io.bulkreg.registration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many requests one process keeps in flight at the platform at once ({@code bulkreg.concurrency}, environment
 * BULKREG_CONCURRENCY): the places of {@link SendPermits} and the pooled connections to the platform.
 *
 * <p>The registration step runs {@link #partitions()} dispatchers, a quarter more than places: while a dispatcher
 * stores an answer's keys (about ten milliseconds of commits on PostgreSQL) another one, its request already claimed,
 * takes the place that answer left, so the platform is not kept waiting on our database. Each dispatcher holds at
 * most one request claimed and not settled, so a crash leaves at most {@code partitions x devices-per-request} devices
 * in doubt (8 places: 10 partitions, 500 devices at 50 a request). Below 4 places there is no spare partition: a
 * process set to 1 sends its requests one after the other, in the order of the lot.
 */
@Validated
@ConfigurationProperties("bulkreg")
public record ConcurrencyProperties(@DefaultValue("8") @Min(1) @Max(64) int concurrency) {

    /** The registration step's partitions (dispatchers): the places at the platform and a quarter more. */
    public int partitions() {
        return concurrency + concurrency / 4;
    }
}
