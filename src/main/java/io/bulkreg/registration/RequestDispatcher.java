package io.bulkreg.registration;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.mcs.DeviceRequest;
import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.RegistrationOutcome;
import io.bulkreg.registration.FaultPolicy.Decision;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch of devices to the platform and carries out the fault policy's decisions:
 * write ahead (IN_FLIGHT), send, then commit what the answer means before anything else is sent.
 */
public class RequestDispatcher {

    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final McsClient client;
    private final DeviceRegistrations registrations;
    private final FaultPolicy policy;
    private final long jobExecutionId;
    private final RunCounters counters;

    private final CredentialRescue rescue;
    private final int storeAttempts;

    private final java.util.function.BooleanSupplier leaseHeld;

    public RequestDispatcher(McsClient client, DeviceRegistrations registrations, FaultPolicy policy,
            long jobExecutionId, RunCounters counters, CredentialRescue rescue, int storeAttempts,
            java.util.function.BooleanSupplier leaseHeld) {
        this.leaseHeld = leaseHeld;
        this.rescue = rescue;
        this.storeAttempts = storeAttempts;
        this.client = client;
        this.registrations = registrations;
        this.policy = policy;
        this.jobExecutionId = jobExecutionId;
        this.counters = counters;
    }

    public void dispatch(List<DeviceRow> devices) {
        List<DeviceRow> pending = devices;
        for (int attempt = 1; ; attempt++) {
            if (!leaseHeld.getAsBoolean()) {
                throw new RunAbortedException("another run recovered this one as abandoned (no heartbeat for longer than "
                        + "bulkreg.lease.stale-after): stopping before the next request");
            }
            String requestId = UUID.randomUUID().toString();
            List<DeviceRow> owned = registrations.claim(pending, requestId, jobExecutionId, client.platform());
            if (owned.isEmpty()) {
                return;
            }
            counters.requestSent();
            RegistrationOutcome outcome = client.register(owned.stream().map(RequestDispatcher::toRequest).toList());
            Decision decision = policy.decide(outcome, owned.size(), attempt);
            if (!(decision instanceof Decision.RetryAfter retry)) {
                carryOut(decision, owned, requestId);
                return;
            }
            registrations.release(requestId, RequestOutcome.NOT_TAKEN, null, retry.reason());
            log.warn("Request {} ({} devices) not taken: {}; attempt {} in {} ms", requestId, owned.size(),
                    retry.reason(), attempt + 1, retry.delay().toMillis());
            sleep(retry.delay().toMillis());
            pending = owned;
        }
    }

    private void carryOut(Decision decision, List<DeviceRow> owned, String requestId) {
        if (decision instanceof Decision.Store store) {
            storeOrRescue(requestId, registrations.seal(owned, store.credentials()));
            counters.registered(owned.size());
        } else if (decision instanceof Decision.Split split) {
            policy.answered();
            registrations.refusedWhole(requestId, split.error());
            log.info("Request {} ({} devices) refused ({}): splitting it to find the culprits", requestId, owned.size(),
                    split.error().summary());
            int half = owned.size() / 2;
            dispatch(owned.subList(0, half));
            dispatch(owned.subList(half, owned.size()));
        } else if (decision instanceof Decision.Reject reject) {
            policy.answered();
            DeviceRow device = owned.get(0);
            registrations.rejected(device, requestId, reject.error());
            counters.rejected(1);
            log.info("Device {} ({}) refused by the platform: {}", device.id(), describe(device), reject.error().summary());
            if (reject.tripsBreaker()) {
                throw new RunAbortedException(policy.consecutiveRejected() + " devices in a row were refused by the "
                        + "platform (last: " + reject.error().summary() + "): the run stops, as this looks like a "
                        + "configuration problem (product id, registration criteria) rather than bad devices; the rest "
                        + "stays PENDING");
            }
        } else if (decision instanceof Decision.HoldInDoubt doubt) {
            registrations.inDoubt(owned, requestId, doubt.httpStatus(), doubt.reason());
            counters.inDoubt(owned.size());
            log.error("Request {} ({} devices) ended in doubt: {}. They are flagged IN_DOUBT and will not be resent.",
                    requestId, owned.size(), doubt.reason());
            if (doubt.tripsBreaker()) {
                throw new RunAbortedException(policy.consecutiveInDoubt() + " requests in a row ended in doubt (last: "
                        + doubt.reason() + "): the run stops instead of flagging more devices; check the platform, then restart");
            }
        } else if (decision instanceof Decision.FailRun fail) {
            registrations.release(requestId, RequestOutcome.NOT_TAKEN, fail.httpStatus(), fail.message());
            throw new RunAbortedException(fail.message());
        }
    }

    /**
     * The platform has issued these keys once: retry the commit, and if the database still refuses, save them
     * to a rescue file that the next run stores, then stop (the database is not usable for the rest anyway).
     */
    private void storeOrRescue(String requestId, List<StoredCredential> credentials) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= storeAttempts; attempt++) {
            try {
                registrations.store(requestId, credentials);
                return;
            } catch (RuntimeException e) {
                last = e;
                log.warn("Storing the credentials of request {} failed (attempt {} of {}): {}", requestId, attempt,
                        storeAttempts, e.getMessage());
                if (attempt < storeAttempts) {
                    sleep(500L * attempt);
                }
            }
        }
        java.nio.file.Path file = rescue.save(requestId, credentials);
        throw new RunAbortedException("the database refused the credentials of request " + requestId + " ("
                + last.getMessage() + "); they are saved in " + file + " and the next run stores them");
    }

    private static DeviceRequest toRequest(DeviceRow d) {
        return new DeviceRequest(d.prodId(), d.name(), d.isTest(), d.description(), d.serial());
    }

    private static String describe(DeviceRow d) {
        return d.source() != null ? d.source() : "lot " + d.lotId();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAbortedException("interrupted while waiting to retry");
        }
    }
}
