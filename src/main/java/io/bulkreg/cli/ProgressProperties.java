package io.bulkreg.cli;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a run shows its progress ({@code bulkreg.progress.*}): on a terminal a live bar, in a log one line every
 * {@code interval}. The figures are read from the tables by a background thread at that interval.
 */
@Validated
@ConfigurationProperties("bulkreg.progress")
public record ProgressProperties(
        @DefaultValue("5s") @NotNull Duration interval,
        /* false: no bar even on a terminal (log lines instead) */
        @DefaultValue("true") boolean bar) {
}
