package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a finished export takes its name: never over a file of that name, even one that appeared while it was written. */
class ExportPublishTest {

    @TempDir
    Path dir;

    @Test
    void givenAFileCreatedUnderTheNameWhileTheExportWasWritten_whenPublished_thenThatFileIsKeptAndNothingReplacesIt()
            throws Exception {
        Path partial = Files.writeString(dir.resolve(".export-1.partial"), "prodId,serial\nP,S1\n");
        Path output = Files.writeString(dir.resolve("credentials.csv"), "someone else's file\n");

        boolean published = ExportCommand.publish(partial, output);

        assertThat(published).isFalse();
        assertThat(output).hasContent("someone else's file");
        assertThat(partial).exists();
    }

    @Test
    void givenTheNameIsFree_whenPublished_thenTheCompleteFileHasIt() throws Exception {
        Path partial = Files.writeString(dir.resolve(".export-2.partial"), "prodId,serial\nP,S1\n");
        Path output = dir.resolve("credentials.csv");

        boolean published = ExportCommand.publish(partial, output);

        assertThat(published).isTrue();
        assertThat(output).hasContent("prodId,serial\nP,S1");
    }
}
