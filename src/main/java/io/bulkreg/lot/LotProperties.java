package io.bulkreg.lot;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Where lot files come from and how they are read ({@code bulkreg.lots.*}). */
@Validated
@ConfigurationProperties("bulkreg.lots")
public record LotProperties(
        /* the folder whose *.csv files `register` imports when no --file is given; unset: none (the demo: jobs/samples) */
        Path inbox,
        /* one CSV record larger than this is refused as an input error, so a binary file cannot exhaust memory */
        @DefaultValue("65536") @Min(1024) int maxRecordBytes,
        /* a column bulkreg does not use (an MES's batchNo): ignored and named, or the file refused */
        @DefaultValue("ignore") @NotNull UnknownColumns unknownColumns,
        /* the field separator; AUTO takes comma, semicolon or tab from the header line */
        @DefaultValue("auto") @NotNull Separator separator,
        /* the charset of files without a byte order mark; unset: UTF-8 (a BOM, UTF-8 or UTF-16, always wins) */
        Charset charset,
        /* an inbox file without a marker is taken once unchanged this long: it may still be being copied in */
        @DefaultValue("1m") @NotNull Duration settleTime,
        /* unset: imported files stay in the inbox; else they are moved here once imported */
        Path archive) {

    public LotProperties {
        if (settleTime != null && settleTime.isNegative()) {
            throw new IllegalArgumentException("bulkreg.lots.settle-time must not be negative: " + settleTime);
        }
    }

    /** How the lot file reader reads files. */
    public LotFileReader.Options readerOptions() {
        return new LotFileReader.Options(maxRecordBytes, separator, charset, unknownColumns);
    }
}
