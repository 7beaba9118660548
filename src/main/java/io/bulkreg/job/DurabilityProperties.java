package io.bulkreg.job;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Whether a run may send while the database does not make its commits durable ({@code bulkreg.durability.*}). */
@Validated
@ConfigurationProperties("bulkreg.durability")
public record DurabilityProperties(
        /* send anyway (with a warning) when PostgreSQL runs with fsync or synchronous_commit off */
        @DefaultValue("false") boolean allowNonDurableCommits) {
}
