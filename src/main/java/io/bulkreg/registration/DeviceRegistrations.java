package io.bulkreg.registration;

import io.bulkreg.device.DatabaseProduct;
import io.bulkreg.device.DeviceKeyVault;
import io.bulkreg.device.DeviceRow;
import io.bulkreg.device.DeviceRules;
import io.bulkreg.device.DeviceStatus;
import io.bulkreg.device.NewTransaction;
import io.bulkreg.device.Skip;
import io.bulkreg.device.SkipKind;
import io.bulkreg.device.SkipLog;
import io.bulkreg.mcs.Credential;
import io.bulkreg.mcs.McsError;
import io.bulkreg.mcs.RawAnswer;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every state change of a device on its way to the platform. Each method commits in a transaction of its
 * own ({@link NewTransaction}): what the platform was told and what it answered must be durable before the next
 * request, whatever Spring Batch later does with the chunk's transaction.
 */
@Repository
public class DeviceRegistrations {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final SkipLog skipLog;
    private final DeviceKeyVault vault;
    private final NewTransaction newTransaction;
    private final KeptAnswers keptAnswers;
    private volatile Boolean postgreSql;
    private static final String TAKEN_OVER_WHILE_IN_FLIGHT = "stored after another run took this run's lease over (it "
            + "judged the run dead): the devices may have been flagged IN_DOUBT meanwhile; the keys settle that";
    /** One claim at a time per process on H2 (see whileClaiming). */
    private static final ReentrantLock H2_CLAIMS = new ReentrantLock();

    public DeviceRegistrations(JdbcClient jdbc, JdbcTemplate jdbcTemplate, SkipLog skipLog, DeviceKeyVault vault,
            NewTransaction newTransaction, KeptAnswers keptAnswers) {
        this.keptAnswers = keptAnswers;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.skipLog = skipLog;
        this.vault = vault;
        this.newTransaction = newTransaction;
    }

    /**
     * Write-ahead for the next devices waiting: takes the next PENDING rows (of the lot, in id order) that no other
     * claimer holds, at most {@code max}, rejects those that break the platform's rules, and marks the rest IN_FLIGHT
     * under a new request logged with the platform it goes to, all in one transaction committed before anything is
     * sent. Rows another worker (a partition of this process or another process on this database) is claiming are
     * skipped, not waited for: FOR UPDATE SKIP LOCKED. Nothing is claimed when this execution's lease was taken over.
     */
    public Claim claimNext(PendingDevices pending, int max, RequestId requestId, LeaseHolder holder, String platform) {
        return whileClaiming(() -> inNewTransaction(() -> holds(holder)
                ? claimNextIn(pending, max, requestId, holder, platform)
                : new Claim.LeaseLost()));
    }

    /**
     * H2: the claims of this process take turns, each committed before the next starts, so that none meets rows
     * another is claiming; another process on the same H2 file (through its owner's server) is still kept out by the
     * conditional UPDATE of writeAhead. PostgreSQL: claims run side by side (SKIP LOCKED).
     */
    private <T> T whileClaiming(Supplier<T> transaction) {
        if (onPostgreSql()) {
            return transaction.get();
        }
        H2_CLAIMS.lock();
        try {
            return transaction.get();
        } finally {
            H2_CLAIMS.unlock();
        }
    }

    /** In the caller's transaction, with this execution's lease checked in it. */
    private Claim claimNextIn(PendingDevices pending, int max, RequestId requestId, LeaseHolder holder, String platform) {
        String select = onPostgreSql() ? pending.nextUnclaimed(DeviceRow.COLUMNS) : pending.next(DeviceRow.COLUMNS);
        List<DeviceRow> next = jdbc.sql(select)
                .params(pending.parameters())
                .param("max", max)
                .query(DeviceRow::fromRow)
                .list();
        if (next.isEmpty()) {
            return new Claim.NothingLeft();
        }
        List<DeviceRow> valid = new ArrayList<>(next.size());
        for (DeviceRow device : next) {
            Optional<DeviceRules.Violation> violation = DeviceRules.check(device);
            if (violation.isPresent()) {
                // Rejected before it can cost a request, in the claim's transaction: the row is locked by it.
                rejectInvalid(device, violation.get(), holder.jobExecutionId());
            } else {
                valid.add(device);
            }
        }
        return writeAhead(valid, requestId, holder, platform, null);
    }

    /**
     * PostgreSQL: skips locked rows before it applies a LIMIT (H2 2.x accepts FOR UPDATE SKIP LOCKED but limits first:
     * behind another claimer's rows it returns nothing, as if nothing were left), and takes a store as one statement.
     */
    private boolean onPostgreSql() {
        Boolean known = postgreSql;
        if (known == null) {
            known = DatabaseProduct.isPostgreSql(jdbcTemplate);
            postgreSql = known;
        }
        return known;
    }

    /**
     * Write-ahead for these devices again (a retry, a half of a split request): marks those still PENDING IN_FLIGHT
     * under a new request and logs it with its platform, before it is sent. A row another claimer took first is left
     * out, and when none is left there is no request. Nothing is claimed when this execution's lease was taken over.
     */
    public Claim claim(List<DeviceRow> devices, RequestId requestId, LeaseHolder holder, String platform) {
        return claim(devices, requestId, holder, platform, null);
    }

    /**
     * As {@link #claim(List, RequestId, LeaseHolder, String)}, and also takes the devices this worker holds for a
     * resend under {@code previous} (see {@link #holdForResend}): they move to the new request without ever being
     * PENDING, so no other claimer takes them meanwhile.
     */
    public Claim claim(List<DeviceRow> devices, RequestId requestId, LeaseHolder holder, String platform,
            RequestId previous) {
        return inNewTransaction(() -> holds(holder)
                ? writeAhead(devices, requestId, holder, platform, previous)
                : new Claim.LeaseLost());
    }

    /**
     * Whether the lease row is still this run's, looked up in the database now: for a request claimed a while ago
     * (it waited for its place or its rate-limit turn), where the heartbeat's view may be up to a beat old or the
     * process may have been frozen past the lease's staleness.
     */
    public boolean leaseStillHeld(LeaseHolder holder) {
        return inNewTransaction(() -> holds(holder));
    }

    /**
     * Whether this execution's lease row is still its own. Read in the claim's or the store's transaction: a takeover
     * committed before it is seen. On PostgreSQL the row is also locked against a takeover (FOR KEY SHARE: the takeover
     * deletes the row, the heartbeat's update still passes) until this transaction commits, so a takeover racing a
     * claim waits for it and the recovery after it flags the claimed devices. On H2 the read takes no lock: a takeover
     * racing a claim can let that one claim through; its devices are then in flight under a lease-less execution,
     * which the next recovery turns IN_DOUBT (never resent), and the claimer's store keeps their keys (see
     * {@link #store}).
     */
    private boolean holds(LeaseHolder holder) {
        return !jdbc.sql("SELECT job_execution_id FROM job_lease WHERE job_execution_id = :execution "
                        + "AND instance_id = :instance" + (onPostgreSql() ? " FOR KEY SHARE" : ""))
                .param("execution", holder.jobExecutionId())
                .param("instance", holder.instanceId())
                .query(Long.class).list().isEmpty();
    }

    private Claim writeAhead(List<DeviceRow> devices, RequestId requestId, LeaseHolder holder, String platform,
            RequestId previous) {
        if (devices.isEmpty()) {
            return new Claim.Again();
        }
        List<Long> ids = devices.stream().map(DeviceRow::id).toList();
        // Conditional: a row another claimer took first is left out (the rows of claimNext are locked by this
        // transaction already; a retry's rows may have been claimed by another worker since they were released). The
        // condition is written so that no index on status can serve it: the rows are found by their ids (H2 at a
        // million pending rows planned `status = ?` on a status index and read every PENDING row for 50 ids).
        int updated = jdbc.sql("UPDATE device_registration SET status = :inFlight, request_id = :requestId, "
                + "job_execution_id = :execution WHERE id IN (:ids) AND CASE WHEN status = :pending "
                + "OR (status = :inFlight AND request_id = :previous) THEN 1 ELSE 0 END = 1")
                .param("inFlight", DeviceStatus.IN_FLIGHT.name())
                .param("requestId", requestId.value())
                .param("execution", holder.jobExecutionId())
                .param("ids", ids)
                .param("pending", DeviceStatus.PENDING.name())
                .param("previous", previous == null ? null : previous.value())
                .update();
        List<DeviceRow> claimed = devices;
        if (updated != devices.size()) {
            Set<Long> owned = jdbc.sql("SELECT id FROM device_registration WHERE request_id = :requestId "
                    + "AND status = :inFlight")
                    .param("requestId", requestId.value())
                    .param("inFlight", DeviceStatus.IN_FLIGHT.name())
                    .query(Long.class).set();
            claimed = devices.stream().filter(d -> owned.contains(d.id())).toList();
        }
        if (claimed.isEmpty()) {
            return new Claim.Again();
        }
        jdbc.sql("INSERT INTO registration_request (request_id, job_execution_id, device_count, sent_at, platform) "
                + "VALUES (:requestId, :execution, :count, :now, :platform)")
                .param("requestId", requestId.value())
                .param("execution", holder.jobExecutionId())
                .param("count", claimed.size())
                .param("now", now())
                .param("platform", platform)
                .update();
        return new Claim.Request(new ClaimedRequest(requestId, holder.jobExecutionId(), claimed));
    }

    /** The platform did not take the request: its devices wait again, as if it had never been written. */
    public void release(ClaimedRequest request, RequestOutcome outcome, Integer httpStatus, String detail) {
        release(request.id(), outcome, httpStatus, detail);
    }

    /** As {@link #release(ClaimedRequest, RequestOutcome, Integer, String)}, by the request's id alone. */
    public void release(RequestId requestId, RequestOutcome outcome, Integer httpStatus, String detail) {
        inNewTransaction(() -> {
            pendingAgain(List.of(requestId));
            answered(requestId, outcome, httpStatus, detail);
            return null;
        });
    }

    /**
     * The platform refused the request whole or did not take it, and the same worker sends its devices again (in
     * halves, or after a backoff): the answer is logged, and the devices stay IN_FLIGHT under the answered request
     * until that worker claims them for the next one ({@link #claim(List, RequestId, LeaseHolder, String, RequestId)}).
     * Left PENDING they would be taken at once by other claimers, backoff and culprits with them. The platform
     * registered none of them under this request, so a recovery gives such rows back (PENDING), never in doubt, and a
     * worker that stops before resending them gives them back ({@link #releaseHeld}).
     */
    public void holdForResend(ClaimedRequest request, RequestOutcome outcome, Integer httpStatus, String detail) {
        inNewTransaction(() -> {
            answered(request.id(), outcome, httpStatus, detail);
            return null;
        });
    }

    /**
     * Whether this request's keys are on record as stored (its answer committed as registered): empty if not, else
     * whether the run still held its lease then (false: stored in doubt after a takeover).
     */
    public Optional<Boolean> storedAlready(RequestId request) {
        return jdbc.sql("SELECT detail FROM registration_request WHERE request_id = :requestId AND outcome = :stored")
                .param("requestId", request.value())
                .param("stored", RequestOutcome.REGISTERED.name())
                .query((rs, n) -> !TAKEN_OVER_WHILE_IN_FLIGHT.equals(rs.getString(1)))
                .optional();
    }

    /** The devices still held for a resend under these answered requests wait PENDING again. */
    public void releaseHeld(Collection<RequestId> requests) {
        if (requests.isEmpty()) {
            return;
        }
        inNewTransaction(() -> pendingAgain(requests));
    }

    /** In the caller's transaction: the devices still in flight under these requests wait PENDING again. */
    private int pendingAgain(Collection<RequestId> requests) {
        return jdbc.sql("UPDATE device_registration SET status = :pending, request_id = NULL "
                        + "WHERE request_id IN (:requests) AND status = :inFlight")
                .param("pending", DeviceStatus.PENDING.name())
                .param("requests", requests.stream().map(RequestId::value).toList())
                .param("inFlight", DeviceStatus.IN_FLIGHT.name())
                .update();
    }

    /**
     * The credentials of an answer, matched to the devices by position and sealed (encrypted when a key is
     * configured), ready to be stored or, if the database refuses them, rescued to a file.
     */
    public List<StoredCredential> seal(ClaimedRequest request, List<Credential> credentials) {
        List<DeviceRow> devices = request.devices();
        if (devices.size() != credentials.size()) {
            throw new IllegalArgumentException("credential count " + credentials.size() + " differs from device count "
                    + devices.size());
        }
        List<StoredCredential> sealed = new ArrayList<>(devices.size());
        for (int i = 0; i < devices.size(); i++) {
            Credential c = credentials.get(i);
            DeviceKeyVault.Sealed key = vault.seal(c.deviceKey(), devices.get(i).id());
            sealed.add(new StoredCredential(devices.get(i).id(), c.deviceId(), key.value(), key.keyId(), c.chipName()));
        }
        return sealed;
    }

    /**
     * Stores the credentials of one request on its devices (IN_FLIGHT under that request) and closes it.
     *
     * <p>When this execution's lease was taken over meanwhile (the run was judged dead and recovered), the keys are
     * stored all the same: the platform issued them for exactly these devices, which the recovery turned IN_DOUBT
     * under the same request, and no run resends a device in doubt. The request's detail records it, and the caller
     * stops the run.
     *
     * @return whether this execution still held its lease
     */
    public boolean store(ClaimedRequest request, List<StoredCredential> credentials, LeaseHolder holder) {
        return inNewTransaction(() -> {
            if (holds(holder)) {
                storeIn(request.id(), credentials, DeviceStatus.IN_FLIGHT, null);
                return true;
            }
            storeIn(request.id(), credentials, DeviceStatus.IN_DOUBT, TAKEN_OVER_WHILE_IN_FLIGHT);
            return false;
        });
    }

    /** What {@link #storeAndClaimNext} did: whether the lease was still held, and the next request if one was claimed. */
    public record StoredAndClaimed(boolean leaseHeld, Optional<ClaimedRequest> next) {
    }

    /**
     * Stores one request's credentials as {@link #store} does and, in the same transaction, writes ahead the next
     * request as {@link #claimNext} does: one commit a request where there were two. The next request is claimed only
     * while the lease is held; until it is sent its devices are IN_FLIGHT like those of any claim committed before its
     * POST (the in-doubt bound is unchanged: one request claimed a dispatcher), and a dispatcher that does not send it gives
     * it back ({@link #release}). Both parts are one transaction: when it fails the caller stores the credentials
     * alone ({@link #store}) and gives back the next request's id, in case the commit landed after all.
     */
    public StoredAndClaimed storeAndClaimNext(ClaimedRequest request, List<StoredCredential> credentials,
            LeaseHolder holder, PendingDevices pending, int max, RequestId nextId, String platform) {
        // On H2 the claims take turns (whileClaiming); the store before it need not: the turn is taken after the
        // store and kept until the commit, so that the next claimer finds these rows claimed.
        boolean[] turnTaken = {false};
        try {
            return inNewTransaction(() -> {
                if (!holds(holder)) {
                    storeIn(request.id(), credentials, DeviceStatus.IN_DOUBT, TAKEN_OVER_WHILE_IN_FLIGHT);
                    return new StoredAndClaimed(false, Optional.empty());
                }
                storeIn(request.id(), credentials, DeviceStatus.IN_FLIGHT, null);
                if (!onPostgreSql()) {
                    H2_CLAIMS.lock();
                    turnTaken[0] = true;
                }
                Claim next = claimNextIn(pending, max, nextId, holder, platform);
                return new StoredAndClaimed(true, next instanceof Claim.Request r ? Optional.of(r.request()) : Optional.empty());
            });
        } finally {
            if (turnTaken[0]) {
                H2_CLAIMS.unlock();
            }
        }
    }

    /**
     * The credentials of an answer as issued, for a rescue file when sealing them failed: losing them would be worse,
     * and the rescue file is owner-only. The next run seals them when it stores them ({@link #storeRescued}).
     */
    public List<StoredCredential> asIssued(ClaimedRequest request, List<Credential> credentials) {
        List<StoredCredential> issued = new ArrayList<>(credentials.size());
        for (int i = 0; i < credentials.size(); i++) {
            Credential c = credentials.get(i);
            long id = i < request.size() ? request.devices().get(i).id() : -1;
            issued.add(new StoredCredential(id, c.deviceId(), c.deviceKey(), null, c.chipName()));
        }
        return issued;
    }

    /**
     * Stores rescued credentials: their devices may have been flagged IN_DOUBT meanwhile (a recovery that ran while
     * the rescue file could not be stored); the key in hand settles that doubt. Credentials the database already
     * holds (a commit that failed to answer but did succeed) count as stored; keys rescued as issued are sealed now.
     *
     * @return how many were stored by this call
     */
    public int storeRescued(RequestId requestId, List<StoredCredential> credentials) {
        Set<Long> alreadyStored = new HashSet<>(jdbc.sql("SELECT id FROM device_registration WHERE request_id = :requestId "
                + "AND status = :registered AND device_id IS NOT NULL")
                .param("requestId", requestId.value())
                .param("registered", DeviceStatus.REGISTERED.name())
                .query(Long.class).list());
        List<StoredCredential> toStore = credentials.stream()
                .filter(c -> !alreadyStored.contains(c.registrationId()))
                .map(c -> c.keyId() != null ? c : resealed(c))
                .toList();
        if (!toStore.isEmpty()) {
            inNewTransaction(() -> {
                storeIn(requestId, toStore, DeviceStatus.IN_DOUBT, null);
                return null;
            });
        }
        return toStore.size();
    }

    private StoredCredential resealed(StoredCredential issued) {
        DeviceKeyVault.Sealed key = vault.seal(issued.deviceKey(), issued.registrationId());
        return new StoredCredential(issued.registrationId(), issued.deviceId(), key.value(), key.keyId(), issued.chipName());
    }

    /** In the caller's transaction: rolled back with it when the rows changed under us. */
    private void storeIn(RequestId requestId, List<StoredCredential> unordered, DeviceStatus alsoFrom, String detail) {
        // In ascending id, the order in which a recovery locks rows: a store racing it waits instead of deadlocking.
        List<StoredCredential> credentials = unordered.stream()
                .sorted(Comparator.comparingLong(StoredCredential::registrationId)).toList();
        Timestamp now = now();
        int updated = onPostgreSql() ? storeAsOneStatement(requestId, credentials, alsoFrom, now)
                : storeAsBatch(requestId, credentials, alsoFrom, now);
        if (updated != credentials.size()) {
            // The rows changed under us: roll back rather than store keys on the wrong rows.
            throw new IllegalStateException("request " + requestId + ": expected to store " + credentials.size()
                    + " credentials, the database accepted " + updated);
        }
        answered(requestId, RequestOutcome.REGISTERED, 200, detail);
        ProtocolPoint.BEFORE_STORE_COMMIT.reached();   // the caller commits next (after claiming ahead, when it does)
    }

    /** One UPDATE a credential, sent as a JDBC batch: H2 runs in this process, a statement costs it little. */
    private int storeAsBatch(RequestId requestId, List<StoredCredential> credentials, DeviceStatus alsoFrom, Timestamp now) {
        List<Object[]> args = credentials.stream()
                .map(c -> new Object[] {DeviceStatus.REGISTERED.name(), c.deviceId(), c.deviceKey(), c.keyId(),
                        c.chipName(), now, c.registrationId(), requestId.value(), DeviceStatus.IN_FLIGHT.name(), alsoFrom.name()})
                .toList();
        int[][] counts = jdbcTemplate.batchUpdate("UPDATE device_registration SET status = ?, device_id = ?, "
                + "device_key = ?, device_key_id = ?, chip_name = ?, registered_at = ? WHERE id = ? AND request_id = ? "
                + "AND status IN (?, ?)", args, args.size(), (ps, a) -> {
                    for (int i = 0; i < a.length; i++) {
                        ps.setObject(i + 1, a[i]);
                    }
                });
        int updated = 0;
        for (int[] batch : counts) {
            for (int n : batch) {
                updated += Math.max(n, 0);
            }
        }
        return updated;
    }

    /**
     * The same change as {@link #storeAsBatch} in one statement, the credentials as arrays: PostgreSQL runs each
     * statement of a batch on its own (measured with 50 credentials a request: 12.6 ms a store as a batch, 4.9 ms as
     * one statement, commit included).
     */
    private int storeAsOneStatement(RequestId requestId, List<StoredCredential> credentials, DeviceStatus alsoFrom,
            Timestamp now) {
        int n = credentials.size();
        Long[] ids = new Long[n];
        String[] deviceIds = new String[n];
        String[] keys = new String[n];
        String[] keyIds = new String[n];
        String[] chips = new String[n];
        for (int i = 0; i < n; i++) {
            StoredCredential c = credentials.get(i);
            ids[i] = c.registrationId();
            deviceIds[i] = c.deviceId();
            keys[i] = c.deviceKey();
            keyIds[i] = c.keyId();
            chips[i] = c.chipName();
        }
        return jdbcTemplate.update("UPDATE device_registration d SET status = ?, device_id = v.device_id, "
                + "device_key = v.device_key, device_key_id = v.key_id, chip_name = v.chip, registered_at = ? "
                + "FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) AS v(id, device_id, device_key, "
                + "key_id, chip) WHERE d.id = v.id AND d.request_id = ? AND d.status IN (?, ?)", ps -> {
                    var connection = ps.getConnection();
                    ps.setString(1, DeviceStatus.REGISTERED.name());
                    ps.setTimestamp(2, now);
                    ps.setArray(3, connection.createArrayOf("bigint", ids));
                    ps.setArray(4, connection.createArrayOf("text", deviceIds));
                    ps.setArray(5, connection.createArrayOf("text", keys));
                    ps.setArray(6, connection.createArrayOf("text", keyIds));
                    ps.setArray(7, connection.createArrayOf("text", chips));
                    ps.setString(8, requestId.value());
                    ps.setString(9, DeviceStatus.IN_FLIGHT.name());
                    ps.setString(10, alsoFrom.name());
                });
    }

    /** The answer of a request in doubt, sealed for {@code kept_answer} (or, if the database refuses it, a file). */
    public KeptAnswer sealAnswer(ClaimedRequest request, RawAnswer answer) {
        return keptAnswers.seal(request.id(), answer);
    }

    /** An answer a rescue file kept: sealed now if it was kept as received, then inserted unless already there. */
    public void keepRescuedAnswer(KeptAnswer answer) {
        KeptAnswer sealed = keptAnswers.resealed(answer);
        inNewTransaction(() -> {
            keptAnswers.insert(sealed);
            return null;
        });
    }

    /** A device of a request that is still IN_DOUBT under that request, as {@code reconcile} matches it. */
    public record DeviceInDoubt(long id, String prodId, String name, String serial) {
    }

    /** The devices still IN_DOUBT under this request (none once they were resolved, resent or reconciled). */
    public List<DeviceInDoubt> stillInDoubt(RequestId requestId) {
        return jdbc.sql("SELECT id, prod_id, name, serial FROM device_registration WHERE request_id = :requestId "
                + "AND status = :inDoubt ORDER BY id")
                .param("requestId", requestId.value())
                .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                .query((rs, n) -> new DeviceInDoubt(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list();
    }

    /**
     * Stores keys {@code reconcile} matched: sealed on their rows as any stored key, each only if its row is still
     * IN_DOUBT under this request (an operator's resolution meanwhile wins), and their doubt marked RECONCILED.
     * The request keeps its IN_DOUBT outcome: the answer was not used whole.
     *
     * @return the devices stored by this call
     */
    public int storeReconciled(RequestId requestId, List<Credential> matched, List<Long> registrationIds) {
        if (matched.size() != registrationIds.size()) {
            throw new IllegalArgumentException("credential count " + matched.size() + " differs from device count "
                    + registrationIds.size());
        }
        if (matched.isEmpty()) {
            return 0;
        }
        List<StoredCredential> sealed = new ArrayList<>(matched.size());
        for (int i = 0; i < matched.size(); i++) {
            Credential c = matched.get(i);
            DeviceKeyVault.Sealed key = vault.seal(c.deviceKey(), registrationIds.get(i));
            sealed.add(new StoredCredential(registrationIds.get(i), c.deviceId(), key.value(), key.keyId(), c.chipName()));
        }
        return inNewTransaction(() -> {
            Timestamp now = now();
            int stored = 0;
            for (StoredCredential c : sealed) {
                int updated = jdbc.sql("UPDATE device_registration SET status = :registered, device_id = :deviceId, "
                        + "device_key = :key, device_key_id = :keyId, chip_name = :chip, registered_at = :now "
                        + "WHERE id = :id AND request_id = :requestId AND status = :inDoubt")
                        .param("registered", DeviceStatus.REGISTERED.name())
                        .param("deviceId", c.deviceId())
                        .param("key", c.deviceKey())
                        .param("keyId", c.keyId())
                        .param("chip", c.chipName())
                        .param("now", now)
                        .param("id", c.registrationId())
                        .param("requestId", requestId.value())
                        .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                        .update();
                if (updated == 1) {
                    stored++;
                    jdbc.sql("UPDATE registration_skip SET resolution = :resolution, resolved_at = :now "
                            + "WHERE kind = 'IN_DOUBT' AND resolution IS NULL AND registration_id = :id")
                            .param("resolution", Resolution.RECONCILED.name())
                            .param("now", now)
                            .param("id", c.registrationId())
                            .update();
                }
            }
            return stored;
        });
    }

    /** The platform refused this one device: it will not be sent again. */
    public void rejected(ClaimedRequest request, McsError error) {
        DeviceRow device = request.single();
        inNewTransaction(() -> {
            boolean changed = !setStatus(request, DeviceStatus.REJECTED).isEmpty();
            answered(request.id(), RequestOutcome.REJECTED, error.httpStatus(), error.summary());
            if (changed) {
                skipLog.record(Skip.api(device.lotId(), device.source(), device.id(), request.id().value(), error.httpStatus(),
                        error.code(), error.url(), error.description()), request.jobExecutionId());
            }
            return null;
        });
    }

    /**
     * The platform refused this device, resent after doubt, as one it already holds: never sent again (REJECTED), with
     * a HELD_BY_PLATFORM skip carrying the platform's error, so that it is not mistaken for a bad device.
     */
    public void heldByPlatform(ClaimedRequest request, McsError error) {
        DeviceRow device = request.single();
        inNewTransaction(() -> {
            boolean changed = !setStatus(request, DeviceStatus.REJECTED).isEmpty();
            answered(request.id(), RequestOutcome.REJECTED, error.httpStatus(), error.summary());
            if (changed) {
                skipLog.record(Skip.heldByPlatform(device.lotId(), device.source(), device.id(), request.id().value(),
                        error.httpStatus(), error.code(), error.url(), error.description()), request.jobExecutionId());
            }
            return null;
        });
    }

    /** Whether this device was in doubt and an operator chose to send it again ({@code resolve-in-doubt --resend}). */
    public boolean resentAfterDoubt(long registrationId) {
        return jdbc.sql("SELECT COUNT(*) FROM registration_skip WHERE registration_id = :id AND kind = :inDoubt "
                + "AND resolution = :resent")
                .param("id", registrationId)
                .param("inDoubt", SkipKind.IN_DOUBT.name())
                .param("resent", Resolution.RESENT.name())
                .query(Long.class).single() > 0;
    }

    /** The request was refused as a whole and will be split: its devices are held for the halves' requests. */
    public void refusedWhole(ClaimedRequest request, McsError error) {
        holdForResend(request, RequestOutcome.REJECTED, error.httpStatus(), error.summary());
    }

    /** The platform may hold these devices without us holding their keys: flag them, never resend. */
    public void inDoubt(ClaimedRequest request, Integer httpStatus, String reason) {
        inDoubt(request, httpStatus, reason, null);
    }

    /**
     * As {@link #inDoubt(ClaimedRequest, Integer, String)}, keeping the answer in the same commit: the devices are
     * never flagged without the answer that may carry their keys.
     *
     * @param kept the sealed answer, or null when there is none worth keeping
     */
    public void inDoubt(ClaimedRequest request, Integer httpStatus, String reason, KeptAnswer kept) {
        inNewTransaction(() -> {
            if (kept != null) {
                keptAnswers.insert(kept);
            }
            Set<Long> changed = setStatus(request, DeviceStatus.IN_DOUBT);
            answered(request.id(), RequestOutcome.IN_DOUBT, httpStatus, reason);
            List<Skip> skips = request.devices().stream()
                    .filter(d -> changed.contains(d.id()))
                    .map(d -> Skip.inDoubt(d.lotId(), d.source(), d.id(), request.id().value(), httpStatus, reason))
                    .toList();
            skipLog.record(skips, request.jobExecutionId());
            return null;
        });
    }

    /** A device that breaks the platform's rules: rejected without a request, in the caller's transaction. */
    private void rejectInvalid(DeviceRow device, DeviceRules.Violation violation, long jobExecutionId) {
        int rejected = jdbc.sql("UPDATE device_registration SET status = :rejected, job_execution_id = :execution "
                        + "WHERE id = :id AND status = :pending")
                .param("rejected", DeviceStatus.REJECTED.name())
                .param("execution", jobExecutionId)
                .param("id", device.id())
                .param("pending", DeviceStatus.PENDING.name())
                .update();
        if (rejected > 0) {
            skipLog.record(Skip.validation(device.lotId(), device.source(), device.id(), violation.toString()), jobExecutionId);
        }
    }

    /**
     * Only rows still in flight under this request: a recovery may have settled them meanwhile (and recorded their skip
     * rows itself). Locked, then changed, in the caller's transaction.
     *
     * @return the ids of the rows this call changed
     */
    private Set<Long> setStatus(ClaimedRequest request, DeviceStatus status) {
        List<Long> ids = request.devices().stream().map(DeviceRow::id).toList();
        Set<Long> inFlight = jdbc.sql("SELECT id FROM device_registration WHERE id IN (:ids) AND request_id = :requestId "
                + "AND status = :inFlight FOR UPDATE")
                .param("ids", ids)
                .param("requestId", request.id().value())
                .param("inFlight", DeviceStatus.IN_FLIGHT.name())
                .query(Long.class).set();
        if (!inFlight.isEmpty()) {
            jdbc.sql("UPDATE device_registration SET status = :status WHERE id IN (:ids)")
                    .param("status", status.name())
                    .param("ids", inFlight)
                    .update();
        }
        return inFlight;
    }

    private void answered(RequestId requestId, RequestOutcome outcome, Integer httpStatus, String detail) {
        jdbc.sql("UPDATE registration_request SET answered_at = :now, outcome = :outcome, http_status = :status, "
                + "detail = :detail WHERE request_id = :requestId")
                .param("now", now())
                .param("outcome", outcome.name())
                .param("status", httpStatus)
                .param("detail", SkipLog.truncate(detail, 1000))
                .param("requestId", requestId.value())
                .update();
    }

    private <T> T inNewTransaction(Supplier<T> work) {
        return newTransaction.commit(work);
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
