package io.bulkreg.registration;

import io.bulkreg.device.DeviceRow;
import io.bulkreg.device.DeviceRules;
import java.util.Optional;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Rejects a device that breaks the platform's rules before it can cost a request (it is filtered out). */
public class ValidatingProcessor implements ItemProcessor<DeviceRow, DeviceRow> {

    private final DeviceRegistrations registrations;
    private final long jobExecutionId;

    public ValidatingProcessor(DeviceRegistrations registrations, long jobExecutionId) {
        this.registrations = registrations;
        this.jobExecutionId = jobExecutionId;
    }

    @Override
    public DeviceRow process(DeviceRow device) {
        Optional<DeviceRules.Violation> violation = DeviceRules.check(device);
        if (violation.isPresent()) {
            registrations.invalid(device, violation.get(), jobExecutionId);
            return null;
        }
        return device;
    }
}
