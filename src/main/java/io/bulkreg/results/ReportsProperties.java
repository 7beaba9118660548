package io.bulkreg.results;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Where the run reports go ({@code bulkreg.reports.dir}): run-ID.html and run-ID.json, one pair per run. */
@Validated
@ConfigurationProperties("bulkreg.reports")
public record ReportsProperties(@DefaultValue("data/reports") @NotNull Path dir) {
}
