package io.bulkreg.registration;

import io.bulkreg.device.DeviceRow;
import java.util.List;

/**
 * A request written ahead: its id, the job execution that claimed it, and the devices it owns (IN_FLIGHT under its
 * id). Every state change of those devices takes it, so none has to look up what the claim already knew.
 */
public record ClaimedRequest(RequestId id, long jobExecutionId, List<DeviceRow> devices) {

    public ClaimedRequest {
        devices = List.copyOf(devices);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("a request carries at least one device");
        }
    }

    public int size() {
        return devices.size();
    }

    /** The device of a one-device request (the culprit that splitting isolated). */
    public DeviceRow single() {
        if (devices.size() != 1) {
            throw new IllegalStateException("request " + id + " carries " + devices.size() + " devices, not one");
        }
        return devices.get(0);
    }
}
