package io.bulkreg.registration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many requests one process keeps in flight at once ({@code bulkreg.concurrency}, environment
 * BULKREG_CONCURRENCY): the number of partitions of the registration step, of dispatchers, and of pooled
 * connections to the platform. A crash leaves at most {@code concurrency x devices-per-request} devices in doubt.
 */
@Validated
@ConfigurationProperties("bulkreg")
public record ConcurrencyProperties(@DefaultValue("8") @Min(1) @Max(64) int concurrency) {
}
