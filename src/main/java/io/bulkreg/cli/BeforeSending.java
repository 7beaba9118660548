package io.bulkreg.cli;

import io.bulkreg.job.CommitDurability;
import io.bulkreg.job.DurabilityProperties;
import io.bulkreg.job.LeaseProperties;
import io.bulkreg.job.ShutdownGrace;
import io.bulkreg.mcs.McsProperties;
import java.io.PrintWriter;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What a command that sends settles before its run starts: the platform (and that the database may take its keys),
 * and that the database's commits are durable. Then it says where requests go.
 */
@Component
public class BeforeSending {

    private final PlatformChoice platforms;
    private final CommitDurability durability;
    private final DurabilityProperties properties;
    private final LeaseProperties lease;
    private final McsProperties mcs;

    public BeforeSending(PlatformChoice platforms, CommitDurability durability, DurabilityProperties properties,
            LeaseProperties lease, McsProperties mcs) {
        this.platforms = platforms;
        this.durability = durability;
        this.properties = properties;
        this.lease = lease;
        this.mcs = mcs;
    }

    /**
     * @throws ConfigurationProblem when the platform, the database's durability or a SIGTERM's grace shorter than a
     *                              request forbids sending
     */
    public void check(PlatformOptions options, PrintWriter out) {
        ShutdownGrace.problem(lease.shutdownGrace(), mcs.readTimeout()).ifPresent(problem -> {
            throw new ConfigurationProblem(problem);
        });
        platforms.choose(options.sandbox, options.allowPlatformChange);
        List<String> problems = durability.problems();
        if (!problems.isEmpty()) {
            String what = String.join("; ", problems);
            if (!properties.allowNonDurableCommits()) {
                throw new ConfigurationProblem(what + ". bulkreg does not send while a commit may be undone: a claim "
                        + "undone sends a device twice, a stored key undone is lost. Turn it on again, or accept the "
                        + "risk with BULKREG_DURABILITY_ALLOWNONDURABLECOMMITS=true. Nothing was imported or sent.");
            }
            out.println("WARNING: " + what + " (allowed by bulkreg.durability.allow-non-durable-commits).");
        }
        if (durability.isEmbeddedH2File() && !platforms.demo()) {
            out.println("Note: the embedded H2 database does not sync its commits to disk: a power cut or a lost host "
                    + "can undo a claim or a stored key. It is for the demo and rehearsals; use PostgreSQL in production.");
        }
        out.println(platforms.describe());
    }
}
