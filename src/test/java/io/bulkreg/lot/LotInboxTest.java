package io.bulkreg.lot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which inbox files are complete enough to import. */
class LotInboxTest {

    private static final String LOT = "lot,prodId,name,isTest\nL,P,n,false\n";
    private static final Duration SETTLE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private final Instant now = Instant.now();

    @Test
    void givenAnExcelLockFile_whenListed_thenItIsLeftAlone() {
        write("~$LOT-1.csv", "\u0000owner");
        Path lot = write("LOT-1.csv", LOT);

        assertThat(LotInbox.csvFiles(dir)).containsExactly(lot);
    }

    @Test
    void givenALeftoverMarkerOlderThanTheRewrittenFile_whenListed_thenTheFileWaitsForTheSettleTime() {
        Path file = write("LOT-M.csv", LOT);
        Path marker = write("LOT-M.csv.ready", "");
        modified(marker, now.minus(1, ChronoUnit.DAYS));
        modified(file, now.minusSeconds(5));

        LotInbox.Listing listing = LotInbox.completeFiles(dir, SETTLE, now, LotInbox.Pause.NONE);

        assertThat(listing.complete()).isEmpty();
        assertThat(listing.waiting()).singleElement().asString().contains("LOT-M.csv", "not taken yet",
                "older than the file");
    }

    @Test
    void givenAMarkerWrittenAfterTheFile_whenListed_thenTheFileIsTakenAtOnce() {
        Path file = write("LOT-M.csv", LOT);
        modified(file, now.minusSeconds(5));
        write("LOT-M.csv.ready", "");

        assertThat(LotInbox.completeFiles(dir, SETTLE, now, LotInbox.Pause.NONE).complete()).containsExactly(file);
    }

    @Test
    void givenAnOldFileWhoseLastLineHasNoLineEnd_whenTakenBySettleTime_thenItWaits() {
        Path file = write("LOT-CUT.csv", "lot,prodId,name,isTest,serial\nL,P,n,false,SER12");
        modified(file, now.minus(1, ChronoUnit.HOURS));

        LotInbox.Listing listing = LotInbox.completeFiles(dir, SETTLE, now, LotInbox.Pause.NONE);

        assertThat(listing.complete()).isEmpty();
        assertThat(listing.waiting()).singleElement().asString().contains("LOT-CUT.csv", "not taken yet",
                "does not end with a line end");
    }

    @Test
    void givenAnOldUtf16FileEndingWithALineEnd_whenTakenBySettleTime_thenItIsTaken() {
        Path file = dir.resolve("U16.csv");
        try {
            Files.write(file, ("\uFEFF" + LOT).getBytes(StandardCharsets.UTF_16LE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        modified(file, now.minus(1, ChronoUnit.HOURS));

        assertThat(LotInbox.completeFiles(dir, SETTLE, now, LotInbox.Pause.NONE).complete()).containsExactly(file);
    }

    @Test
    void givenAFileCopiedWithItsOldModificationTime_whenItGrowsBetweenTwoLooks_thenItWaits() {
        Instant old = now.minus(1, ChronoUnit.DAYS);
        Path file = write("LOT-RSYNC.csv", LOT);
        modified(file, old);
        LotInbox.Pause copyGoesOn = () -> {
            append(file, "L,P,m,false\n");
            modified(file, old);   // rsync -t, cp -p: the copy carries the source's time
        };

        LotInbox.Listing listing = LotInbox.completeFiles(dir, SETTLE, now, copyGoesOn);

        assertThat(listing.complete()).isEmpty();
        assertThat(listing.waiting()).singleElement().asString().contains("LOT-RSYNC.csv", "not taken yet",
                "changed while the inbox was looked at");
    }

    @Test
    void givenAListedFile_whenItChangesBeforeItIsImported_thenTheListingSaysSo() {
        Path file = write("LOT-1.csv", LOT);
        modified(file, now.minus(1, ChronoUnit.HOURS));
        LotInbox.Listing listing = LotInbox.completeFiles(dir, SETTLE, now, LotInbox.Pause.NONE);

        append(file, "L,P,m,false\n");

        assertThat(listing.changedSinceListed(file)).get().asString().contains("LOT-1.csv", "not taken yet");
    }

    private Path write(String name, String content) {
        try {
            return Files.write(dir.resolve(name), content.getBytes(UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String content) {
        try {
            Files.write(file, content.getBytes(UTF_8), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void modified(Path file, Instant when) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(when));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
