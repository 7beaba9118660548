package io.bulkreg.registration;

import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.McsProperties;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Assembles the registration step's dispatchers: one per partition of a job execution, each of its own (its own
 * breaker counts) over the platform client, the state changes, the fault policy and the rescue file. The dispatchers
 * of one execution share its {@link RunStop}; all dispatchers of the process share its {@link SendPermits} (places in
 * flight, the rate limit) and report the time they held requests back to the {@link SendWaits} of the context, if
 * any (the run's meters).
 */
@Component
public class RegistrationWriters {

    private final ObjectProvider<McsClient> client;
    private final DeviceRegistrations registrations;
    private final FaultPolicy policy;
    private final CredentialRescue rescue;
    private final McsProperties mcs;
    private final SendPermits permits;
    private final SendWaits waits;
    private final Map<Long, RunStop> stops = new ConcurrentHashMap<>();

    public RegistrationWriters(ObjectProvider<McsClient> client, DeviceRegistrations registrations, FaultProperties faults,
            CredentialRescue rescue, McsProperties mcs, ConcurrencyProperties concurrency, ObjectProvider<SendWaits> waits) {
        this.waits = waits.getIfAvailable(() -> SendWaits.NONE);
        this.client = client;
        this.registrations = registrations;
        this.policy = new FaultPolicy(faults);
        this.rescue = rescue;
        this.mcs = mcs;
        this.permits = new SendPermits(concurrency.concurrency(), mcs.maxRequestsPerSecond(), mcs.readTimeout());
    }

    /**
     * A dispatcher for one partition of this job execution, whose lease row carries {@code instanceId};
     * {@code stopAsked} says whether the process was asked to stop (SIGTERM, `stop`).
     */
    public RequestDispatcher forPartition(long jobExecutionId, String instanceId, BooleanSupplier leaseHeld,
            BooleanSupplier stopAsked) {
        RunStop stop = stops.computeIfAbsent(jobExecutionId, id -> new RunStop());
        return new RequestDispatcher(client.getObject(), registrations, policy, rescue,
                new RequestDispatcher.Execution(jobExecutionId, instanceId, leaseHeld, stop, stopAsked),
                RequestDispatcher.Pause.THREAD_SLEEP, permits, waits);
    }

    /** Devices per request: {@code bulkreg.mcs.devices-per-request}. */
    public int devicesPerRequest() {
        return mcs.effectiveDevicesPerRequest();
    }
}
