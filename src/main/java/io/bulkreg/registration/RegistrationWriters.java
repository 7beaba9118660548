package io.bulkreg.registration;

import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.McsProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Assembles the registration step's writer for one job execution: a dispatcher over the platform client, the state
 * changes, the fault policy and the rescue file, sending requests of {@code bulkreg.mcs.devices-per-request}.
 */
@Component
public class RegistrationWriters {

    private final ObjectProvider<McsClient> client;
    private final DeviceRegistrations registrations;
    private final FaultPolicy policy;
    private final CredentialRescue rescue;
    private final McsProperties mcs;

    public RegistrationWriters(ObjectProvider<McsClient> client, DeviceRegistrations registrations, FaultProperties faults,
            CredentialRescue rescue, McsProperties mcs) {
        this.client = client;
        this.registrations = registrations;
        this.policy = new FaultPolicy(faults);
        this.rescue = rescue;
        this.mcs = mcs;
    }

    public RegistrationWriter forExecution(RequestDispatcher.Execution execution) {
        RequestDispatcher dispatcher = new RequestDispatcher(client.getObject(), registrations, policy, rescue, execution,
                RequestDispatcher.Pause.THREAD_SLEEP);
        return new RegistrationWriter(dispatcher, mcs.effectiveDevicesPerRequest());
    }
}
