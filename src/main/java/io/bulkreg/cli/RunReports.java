package io.bulkreg.cli;

import io.bulkreg.job.RunResult;
import io.bulkreg.results.RunReport;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Writes a run's report and says where, as the run's last line; a report that cannot be written fails no run. */
@Component
public class RunReports {

    private static final Logger log = LoggerFactory.getLogger(RunReports.class);

    private final RunReport report;

    public RunReports(RunReport report) {
        this.report = report;
    }

    void printPath(RunResult run, String lot, PrintWriter out) {
        long executionId = run.execution().getId();
        var steps = new RunReport.StepRecords(run.refusedFiles(), run.unreadableFiles(), run.waitingFiles(),
                run.storedFromRescue());
        try {
            out.println("Run report: " + report.write(executionId, lot, steps) + " (and .json beside it)");
        } catch (Exception e) {
            log.warn("The run report of job execution {} could not be written: {}", executionId, e.toString());
        }
        out.flush();
    }
}
