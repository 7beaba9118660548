package io.bulkreg.cli;

import io.bulkreg.job.WorkerInstance;
import io.bulkreg.results.RunFigures;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Shows how far a run of this process is while it goes on: every few seconds a background thread reads the
 * figures from the tables (the requests it sent, the devices still pending in its scope) and shows them, as a
 * live bar on a terminal, or as one log line when the output goes to a log (cron, systemd, Kubernetes).
 */
@Component
public class RunWatch {

    private static final Logger log = LoggerFactory.getLogger(RunWatch.class);

    private final JdbcClient jdbc;
    private final RunFigures figures;
    private final ProgressProperties properties;
    /** This process, as its runs' leases name it: a pid does not (every container's java is pid 1). */
    private final WorkerInstance instance;

    public RunWatch(JdbcClient jdbc, RunFigures figures, ProgressProperties properties, WorkerInstance instance) {
        this.jdbc = jdbc;
        this.figures = figures;
        this.properties = properties;
        this.instance = instance;
    }

    /** What one look at the tables found. */
    record Progress(long done, long total, long rejected, long inDoubt, double perSecond, Optional<Duration> eta) {

        String line() {
            return String.format(Locale.ROOT, "Progress: %d of %d devices (%d%%), %.1f devices/s, %d rejected, %d in doubt, ETA %s",
                    done, total, total == 0 ? 100 : done * 100 / total, perSecond, rejected, inDoubt,
                    eta.map(RunPrinter::human).orElse("unknown"));
        }
    }

    /** Watches the run this process is about to start (lot: its scope, or null for all lots) until closed. */
    public AutoCloseable start(String lot) {
        boolean terminal = System.console() != null && properties.bar();
        Watch watch = new Watch(lot, terminal);
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-progress");
            t.setDaemon(true);
            return t;
        });
        long period = properties.interval().toMillis();
        thread.scheduleWithFixedDelay(watch::look, period, period, TimeUnit.MILLISECONDS);
        return () -> {
            thread.shutdownNow();
            thread.awaitTermination(2, TimeUnit.SECONDS);
            watch.close();
        };
    }

    /** The bar's speed: "0.0", not ".0", whatever the locale (a DecimalFormat per bar: it is not thread-safe). */
    private static DecimalFormat speedFormat() {
        return new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    private final class Watch {
        private final String lot;
        private final boolean terminal;
        private Long execution;
        /** When the run began, give or take its start-up: the rate is the run's, as its summary's "devices/s". */
        private final long startedAt = System.nanoTime();
        private ProgressBar bar;

        Watch(String lot, boolean terminal) {
            this.lot = lot;
            this.terminal = terminal;
        }

        void look() {
            try {
                if (execution == null) {
                    // ExecutionLease writes the running execution's lease with this process's instance id.
                    execution = jdbc.sql("SELECT job_execution_id FROM job_lease WHERE instance_id = :instance "
                                    + "ORDER BY job_execution_id DESC")
                            .param("instance", instance.id()).query(Long.class).list().stream().findFirst().orElse(null);
                    if (execution == null) {
                        return;
                    }
                }
                show(progressOf(execution));
            } catch (RuntimeException e) {
                log.debug("No progress this time: {}", e.toString());
            }
        }

        Progress progressOf(long id) {
            RunFigures.Figures f = figures.of(id);
            long done = f.settled();
            long left = jdbc.sql("SELECT COUNT(*) FROM device_registration WHERE status IN ('PENDING', 'IN_FLIGHT')"
                            + (lot == null ? "" : " AND lot_id = :lot"))
                    .paramSource(lot == null ? Map.of() : Map.of("lot", lot))
                    .query(Long.class).single();
            double seconds = Math.max((System.nanoTime() - startedAt) / 1e9, 0.001);
            double rate = done / seconds;
            Optional<Duration> eta = rate > 0 ? Optional.of(Duration.ofSeconds(Math.round(left / rate))) : Optional.empty();
            return new Progress(done, done + left, f.rejected(), f.inDoubt(), rate, eta);
        }

        void show(Progress p) {
            if (!terminal) {
                log.info(p.line());
                return;
            }
            if (bar == null) {
                // Built at the first look that finds the run: the devices done by then are its starting point (the bar
                // divides what it counts by its own lifetime: counted as its progress, the first second would read as
                // its speed), and the time shown counts from the run's start.
                bar = new ProgressBarBuilder().setTaskName("Registering").setInitialMax(p.total())
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" devices", 1)
                        .showSpeed(speedFormat()).setUpdateIntervalMillis(1000)
                        .startsFrom(p.done(), Duration.ofNanos(System.nanoTime() - startedAt))
                        .continuousUpdate().build();
            }
            bar.maxHint(p.total());
            bar.stepTo(p.done());
            bar.setExtraMessage(" " + p.rejected() + " rejected, " + p.inDoubt() + " in doubt");   // after "devices/s"
        }

        void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
