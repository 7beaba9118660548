package io.bulkreg.mcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.cli.ExitCodes;
import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What only the embedded H2 database has: files of its own. */
class SecretsOnH2Test extends JobSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }

    /** The embedded default keeps the deviceKeys in a file: only its owner may read it or its folder. */
    @Test
    void givenNoDatabaseFolderYet_whenARunCreatesTheH2Database_thenTheFolderAndEveryFileOfTheDatabaseAreOwnerOnly()
            throws Exception {
        Path folder = dir.resolve("data");
        Path file = LotCsv.lot("LOT-S-H2").devices("prod-s", 2).write(dir);

        CliRun.Result run = run(properties("spring.datasource.url",
                "jdbc:h2:file:" + folder.resolve("bulkreg") + ";FILE_LOCK=FS"), "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(mode(folder)).isEqualTo("rwx------");
        assertThat(folder.resolve("bulkreg.mv.db")).exists();
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.toList();
        }
        assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
