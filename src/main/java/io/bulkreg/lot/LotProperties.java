package io.bulkreg.lot;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Where lot files come from ({@code bulkreg.lots.*}). */
@Validated
@ConfigurationProperties("bulkreg.lots")
public record LotProperties(
        /* the folder whose *.csv files `register` imports when no --file is given; unset: none (the demo: jobs/samples) */
        Path inbox,
        /* one CSV record larger than this is refused as an input error, so a binary file cannot exhaust memory */
        @DefaultValue("65536") @Min(1024) int maxRecordBytes) {
}
