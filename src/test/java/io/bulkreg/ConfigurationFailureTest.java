package io.bulkreg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.MapPropertySource;
import org.junit.jupiter.api.Test;

/** A wrong setting, as a new operator makes it: one plain paragraph naming the variable, no Spring failure report. */
class ConfigurationFailureTest {

    private static String startWith(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("spring.datasource.url", "jdbc:h2:mem:c" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1");
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> new SpringApplicationBuilder(BulkregApplication.class)
                    .initializers(ctx -> ctx.getEnvironment().getPropertySources().addFirst(new MapPropertySource("t", all)))
                    .run("report"))
                    .satisfies(e -> assertThat(BulkregApplication.isConfigurationError(e)).isTrue());
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenAPlatformAddressWithoutAToken_whenStarted_thenOneParagraphNamesTheVariableToSet() {
        String said = startWith(Map.of("bulkreg.mcs.base-url", "https://mcs.example.com"));

        assertThat(said).contains("bulkreg: the configuration is not valid", "set BULKREG_MCS_TOKEN or BULKREG_MCS_TOKEN_FILE")
                .doesNotContain("tokenPresent", "McsProperties", "APPLICATION FAILED TO START", "Property:", "\tat ");
        assertThat(said.strip().lines().filter(l -> l.startsWith("bulkreg:")).count()).isEqualTo(1);
    }

    @Test
    void givenASettingOutOfRange_whenStarted_thenTheParagraphNamesItsEnvironmentVariable() {
        String said = startWith(Map.of("bulkreg.mcs.devices-per-request", "500"));

        assertThat(said).contains("bulkreg.mcs.devices-per-request (environment variable BULKREG_MCS_DEVICESPERREQUEST)",
                "found '500'").doesNotContain("APPLICATION FAILED TO START", "\tat ");
    }

    @Test
    void givenAReadTimeoutOfZero_whenStarted_thenTheParagraphSaysItWouldMeanNoLimit() {
        String said = startWith(Map.of("bulkreg.mcs.read-timeout", "0s"));

        assertThat(said).contains("bulkreg.mcs.read-timeout (BULKREG_MCS_READTIMEOUT) must be longer than 0")
                .doesNotContain("APPLICATION FAILED TO START", "Timeout must be positive", "\tat ");
    }

    @Test
    void givenAStaleAfterShorterThanThreeHeartbeats_whenStarted_thenTheParagraphSaysALiveRunWouldBeTakenOver() {
        String said = startWith(Map.of("bulkreg.lease.heartbeat", "30s", "bulkreg.lease.stale-after", "60s"));

        assertThat(said).contains("bulkreg.lease.stale-after (BULKREG_LEASE_STALEAFTER) must be at least three times "
                + "bulkreg.lease.heartbeat").doesNotContain("APPLICATION FAILED TO START", "\tat ");
    }
}
