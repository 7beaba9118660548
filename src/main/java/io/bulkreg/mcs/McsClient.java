package io.bulkreg.mcs;

import java.util.List;

/** The registerDevice call: one attempt, no retries of its own (the job's fault policy owns retries). */
public interface McsClient {

    RegistrationOutcome register(List<DeviceRequest> devices);
}
