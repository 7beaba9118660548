package io.bulkreg.cli;

import io.bulkreg.registration.SendWaits;
import io.bulkreg.results.RunFigures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The Micrometer meters of a run, from what it wrote to the tables (so they agree with the summary and the report
 * whatever the concurrency): devices registered, rejected and in doubt, requests by outcome, request latency; and the
 * time spent waiting on the rate limit or a Retry-After, which the dispatchers report as they wait ({@link SendWaits}).
 * A batch job is not scraped: with
 * {@code management.prometheus.metrics.export.pushgateway.enabled=true} Spring Boot pushes them to a Pushgateway
 * when the command ends (shutdown-operation push, application.yml).
 */
@Component
public class RunMeters implements SendWaits {

    private final MeterRegistry registry;
    private final RunFigures figures;
    private final JdbcClient jdbc;
    private final Map<SendWaits.Cause, Timer> waiting = new EnumMap<>(SendWaits.Cause.class);

    public RunMeters(MeterRegistry registry, RunFigures figures, JdbcClient jdbc) {
        this.registry = registry;
        this.figures = figures;
        this.jdbc = jdbc;
        // Registered up front, each cause: a run that never waited pushes zeros, not nothing.
        for (SendWaits.Cause cause : SendWaits.Cause.values()) {
            waiting.put(cause, Timer.builder("bulkreg.rate.limit.wait")
                    .description("Time a run spent holding a request back: the rate limit, a Retry-After or a backoff")
                    .tag("cause", cause.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    /** From the dispatchers, as they wait: the rate limit, a 429's or a 503's Retry-After (or the backoff). */
    @Override
    public void waited(SendWaits.Cause cause, Duration duration) {
        waiting.get(cause).record(duration);
    }

    /** Records what one job execution did, once it has ended. */
    public void record(long jobExecutionId) {
        RunFigures.Figures f = figures.of(jobExecutionId);
        counter("bulkreg.devices.registered", "Devices registered by the run").increment(f.registered());
        counter("bulkreg.devices.rejected", "Devices the platform rejected in the run").increment(f.rejected());
        counter("bulkreg.devices.in.doubt", "Devices the run left in doubt").increment(f.inDoubt() + f.recoveredInDoubt());
        Timer.Builder latency = Timer.builder("bulkreg.request.latency")
                .description("From sending a registerDevice request to its answer").publishPercentileHistogram(false);
        jdbc.sql("SELECT COALESCE(outcome, 'UNANSWERED'), sent_at, answered_at FROM registration_request "
                        + "WHERE job_execution_id = :id")
                .param("id", jobExecutionId)
                .query(rs -> {
                    String outcome = rs.getString(1);
                    Counter.builder("bulkreg.requests").description("registerDevice requests by outcome")
                            .tag("outcome", outcome).register(registry).increment();
                    Timestamp sent = rs.getTimestamp(2);
                    Timestamp answered = rs.getTimestamp(3);
                    if (sent != null && answered != null) {
                        latency.tag("outcome", outcome).register(registry)
                                .record(Duration.ofMillis(Math.max(0, answered.getTime() - sent.getTime())));
                    }
                });
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).baseUnit("devices").register(registry);
    }
}
