package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeDefaultsOnH2Test extends JobSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }

    @Test
    void givenAnEmbeddedH2FileDatabaseOutsideTheDemo_whenRegister_thenItSaysPlainlyThatH2IsForDemosAndRehearsals() {
        Path file = LotCsv.lot("LOT-SD-17").devices("prod-sd", 1).write(dir);
        Map<String, Object> h2File = properties("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("h2/bulkreg"),
                "spring.datasource.username", "sa");

        CliRun.Result run = run(h2File, "register", "--file", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.output()).contains("the embedded H2 database does not sync its commits to disk",
                "use PostgreSQL in production");
    }
}
