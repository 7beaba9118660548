package io.bulkreg.registration;

import io.bulkreg.device.DeviceStatus;
import io.bulkreg.device.Skip;
import io.bulkreg.device.SkipLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * After a crash, devices still IN_FLIGHT were in a request whose answer nobody read: the platform may hold
 * them. They become IN_DOUBT with a skip row naming the request, and are never resent automatically. Devices held
 * under a request the platform answered as not taken or refused whole (held for a resend that never came, see
 * {@link DeviceRegistrations#holdForResend}) were registered by nobody: they wait PENDING again.
 * Only rows of executions that are no longer alive are touched (see StaleExecutions).
 */
@Component
public class InFlightRecovery {

    private static final Logger log = LoggerFactory.getLogger(InFlightRecovery.class);

    private final JdbcClient jdbc;
    private final SkipLog skipLog;

    private final CredentialRescue rescue;
    private final DeviceRegistrations registrations;

    public InFlightRecovery(JdbcClient jdbc, SkipLog skipLog, CredentialRescue rescue, DeviceRegistrations registrations) {
        this.jdbc = jdbc;
        this.skipLog = skipLog;
        this.rescue = rescue;
        this.registrations = registrations;
    }

    /** Stores credentials an earlier run saved to rescue files when the database refused them. */
    public int storeRescued() {
        keepRescuedAnswers();
        int stored = 0;
        for (CredentialRescue.Rescued rescued : rescue.pending()) {
            int storedNow;
            try {
                storedNow = registrations.storeRescued(rescued.requestId(), rescued.credentials());
            } catch (RuntimeException e) {
                log.error("Rescued credentials of request {} ({}) could not be stored: {}. The file is kept; see "
                        + "docs/operations.md", rescued.requestId(), rescued.file(), e.getMessage());
                continue;
            }
            rescue.done(rescued);
            stored += storedNow;
            log.warn("Stored {} rescued credentials of request {} from {} ({} were already in the database)", storedNow,
                    rescued.requestId(), rescued.file(), rescued.credentials().size() - storedNow);
        }
        return stored;
    }

    /** Answers an earlier run kept in files when the database refused them: moved to kept_answer for reconcile. */
    private void keepRescuedAnswers() {
        for (CredentialRescue.RescuedAnswer rescued : rescue.pendingAnswers()) {
            try {
                registrations.keepRescuedAnswer(rescued.answer());
            } catch (RuntimeException e) {
                log.error("The kept answer of request {} ({}) could not be moved to the database: {}. The file is kept",
                        rescued.answer().requestId(), rescued.file(), e.getMessage());
                continue;
            }
            rescue.done(rescued);
            log.warn("The answer of request {} kept in {} is now in the database: `bulkreg reconcile` settles its "
                    + "devices", rescued.answer().requestId(), rescued.file());
        }
    }

    /**
     * Rows in flight under an execution that is neither this one nor alive (no lease row): no process will read the
     * answer of their request. The columns of device_registration, which the statements using it name in full.
     */
    private static final String ORPHANED_IN_FLIGHT = "device_registration.status = :inFlight "
            + "AND (device_registration.job_execution_id IS NULL OR device_registration.job_execution_id <> :current) "
            + "AND NOT EXISTS (SELECT 1 FROM job_lease l WHERE l.job_execution_id = device_registration.job_execution_id)";

    private record Orphan(long id, String lotId, String source, String requestId, Long execution, String sentAt) {
    }

    /** @return the number of devices flagged in doubt */
    @Transactional
    public int recover(long currentExecution) {
        int givenBack = jdbc.sql("UPDATE device_registration SET status = :pending, request_id = NULL WHERE "
                        + ORPHANED_IN_FLIGHT + " AND request_id IN (SELECT request_id FROM registration_request "
                        + "WHERE outcome IN (:notRegistered))")
                .param("pending", DeviceStatus.PENDING.name())
                .param("inFlight", DeviceStatus.IN_FLIGHT.name())
                .param("current", currentExecution)
                .param("notRegistered", List.of(RequestOutcome.NOT_TAKEN.name(), RequestOutcome.REJECTED.name()))
                .update();
        if (givenBack > 0) {
            log.warn("{} devices held by an earlier run for a resend (their request was not taken or refused whole, "
                    + "so the platform holds none of them) wait to be sent again", givenBack);
        }
        List<Orphan> orphans = jdbc.sql("SELECT device_registration.id, lot_id, source, device_registration.request_id, "
                + "device_registration.job_execution_id, r.sent_at FROM device_registration LEFT JOIN registration_request r "
                + "ON r.request_id = device_registration.request_id WHERE " + ORPHANED_IN_FLIGHT
                + " ORDER BY device_registration.id")
                .param("inFlight", DeviceStatus.IN_FLIGHT.name())
                .param("current", currentExecution)
                .query((rs, n) -> new Orphan(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Long) rs.getObject(5, Long.class), String.valueOf(rs.getObject(6))))
                .list();
        // A request whose credentials wait in a rescue file is not in doubt: its keys are in hand.
        Set<String> rescued = rescue.pending().stream().map(r -> r.requestId().value()).collect(Collectors.toSet());
        orphans = orphans.stream().filter(o -> !rescued.contains(o.requestId())).toList();
        if (orphans.isEmpty()) {
            return 0;
        }
        // Only rows still in flight: an answer committed since the SELECT settled the others (and recorded them).
        List<Orphan> flagged = new ArrayList<>(orphans.size());
        for (Orphan o : orphans) {
            int changed = jdbc.sql("UPDATE device_registration SET status = :inDoubt WHERE id = :id AND status = :inFlight")
                    .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                    .param("id", o.id())
                    .param("inFlight", DeviceStatus.IN_FLIGHT.name())
                    .update();
            if (changed > 0) {
                flagged.add(o);
            }
        }
        orphans = flagged;
        if (orphans.isEmpty()) {
            return 0;
        }
        jdbc.sql("UPDATE registration_request SET outcome = :outcome, detail = :detail WHERE outcome IS NULL "
                + "AND request_id IN (SELECT request_id FROM device_registration WHERE status = :inDoubt)")
                .param("outcome", RequestOutcome.IN_DOUBT.name())
                .param("detail", "interrupted: the process ended before the answer was stored")
                .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                .update();
        skipLog.record(orphans.stream()
                .map(o -> Skip.inDoubt(o.lotId(), o.source(), o.id(), o.requestId(), null,
                        "request " + o.requestId() + " sent at " + o.sentAt() + " by job execution " + o.execution()
                                + " was interrupted before its answer was stored; the platform may hold this device. "
                                + "Resolve with: resolve-in-doubt"))
                .toList(), currentExecution);
        log.warn("{} devices were in flight when an earlier run ended abruptly: flagged IN_DOUBT, not resent "
                + "(see registration_skip kind IN_DOUBT)", orphans.size());
        return orphans.size();
    }
}
