package io.bulkreg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.support.CliRun;
import io.bulkreg.support.JobSpec;
import io.bulkreg.support.LotCsv;
import io.bulkreg.support.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeDefaultsOnPostgresTest extends JobSpec {

    @Override
    protected TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }

    @Test
    void givenPostgresWithSynchronousCommitOff_whenRegister_thenNothingIsSentUnlessTheOperatorAcceptsTheRisk() {
        Path file = LotCsv.lot("LOT-SD-16").devices("prod-sd", 1).write(dir);
        String unsafe = db.url() + "&options=-c%20synchronous_commit%3Doff";

        CliRun.Result refused = run(properties("spring.datasource.url", unsafe), "register", "--file", file.toString());
        CliRun.Result allowed = run(properties("spring.datasource.url", unsafe,
                "bulkreg.durability.allow-non-durable-commits", "true"), "register", "--file", file.toString());

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.output()).contains("synchronous_commit=off", "BULKREG_DURABILITY_ALLOWNONDURABLECOMMITS");
        assertThat(allowed.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(allowed.output()).contains("WARNING: PostgreSQL runs with synchronous_commit=off");
        assertThat(sandbox.requestCount()).isEqualTo(1);
    }
}
