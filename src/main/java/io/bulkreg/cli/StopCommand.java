package io.bulkreg.cli;

import io.bulkreg.job.LeaseProperties;
import io.bulkreg.job.StopRequests;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Ask a running execution to stop, from any shell or host that reaches the database: it stops after "
                + "the requests in hand (STOPPED, restartable), as on SIGTERM, and its process exits 5.",
        footer = {"", "Example (the execution id is in `status`):", "  java -jar bulkreg.jar stop 42 --wait"})
public class StopCommand implements Callable<Integer> {

    @Parameters(paramLabel = "EXECUTION_ID", description = "The running job execution to stop.")
    long executionId;

    @Option(names = "--wait", description = "Wait until it has stopped (at most --timeout).")
    boolean await;

    @Option(names = "--timeout", defaultValue = "120s", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --wait: how long to wait, e.g. 90s, 5m or PT2M30S (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    private final JdbcClient jdbc;
    private final StopRequests stopRequests;
    private final LeaseProperties lease;

    public StopCommand(JdbcClient jdbc, StopRequests stopRequests, LeaseProperties lease) {
        this.jdbc = jdbc;
        this.stopRequests = stopRequests;
        this.lease = lease;
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> status = statusOf(executionId);
        if (status.isEmpty()) {
            spec.commandLine().getErr().println("There is no job execution " + executionId + " (see `status`).");
            return ExitCodes.USAGE;
        }
        if (!Executions.RUNNING.contains(status.get())) {
            out.println("Job execution " + executionId + " is not running (it is " + status.get() + "): there is nothing "
                    + "to stop.");
            return ExitCodes.OK;
        }
        String where = jdbc.sql("SELECT host, pid FROM job_lease WHERE job_execution_id = :id")
                .param("id", executionId)
                .query((rs, n) -> " (running on " + rs.getString(1) + ", pid " + rs.getLong(2) + ")")
                .optional().orElse("");
        boolean asked = stopRequests.request(executionId);
        out.println((asked ? "Asked job execution " : "A stop was already asked of job execution ") + executionId + where
                + ": it stops after the requests in hand, within about " + lease.heartbeat().toSeconds()
                + " s, as STOPPED. `status` shows it; `restart " + executionId + "` continues it.");
        if (!await) {
            return ExitCodes.OK;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String now;
            try {
                now = statusOf(executionId).orElse("UNKNOWN");
            } catch (DataAccessException closed) {
                // H2: this process read the database through the run's process, which has ended (it stopped).
                out.println("Job execution " + executionId + " has ended with its process; `status` shows how.");
                return ExitCodes.OK;
            }
            if (!Executions.RUNNING.contains(now)) {
                out.println("Job execution " + executionId + " is " + now + ".");
                return ExitCodes.OK;
            }
            Thread.sleep(500);
        }
        spec.commandLine().getErr().println("Job execution " + executionId + " has not stopped within "
                + timeout.toSeconds() + " s; it stops after the requests in hand (or its process is gone: the next run recovers it).");
        return ExitCodes.FAILED;
    }

    private Optional<String> statusOf(long id) {
        return jdbc.sql("SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = :id")
                .param("id", id).query(String.class).optional();
    }

    /**
     * "90s", "5m", "1h" or an ISO-8601 duration, as Spring Boot reads the durations of settings; checked with the other
     * options, so that a mistyped one is a usage error before any stop is asked.
     */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Duration LONGEST_WAIT = Duration.ofDays(7);

        @Override
        public Duration convert(String value) {
            Duration duration;
            try {
                // A bare number is seconds, as this option always read it (Spring's own default unit is milliseconds).
                duration = DurationStyle.detectAndParse(value.trim(), ChronoUnit.SECONDS);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a duration: write 90s, 5m, 1h or PT2M30S");
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST_WAIT) > 0) {
                throw new TypeConversionException("'" + value + "' is not a wait between 1 ms and " + LONGEST_WAIT.toDays()
                        + " days");
            }
            return duration;
        }
    }
}
