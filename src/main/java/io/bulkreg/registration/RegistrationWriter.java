package io.bulkreg.registration;

import io.bulkreg.device.DeviceRow;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Sends a chunk of valid devices as requests of at most {@code devicesPerRequest}. The chunk's own
 * transaction holds nothing of value: every state change commits on its own (see DeviceRegistrations),
 * so a rolled-back chunk loses no credential.
 */
public class RegistrationWriter implements ItemWriter<DeviceRow> {

    private final RequestDispatcher dispatcher;
    private final int devicesPerRequest;

    public RegistrationWriter(RequestDispatcher dispatcher, int devicesPerRequest) {
        this.dispatcher = dispatcher;
        this.devicesPerRequest = devicesPerRequest;
    }

    @Override
    public void write(Chunk<? extends DeviceRow> chunk) {
        List<DeviceRow> devices = new ArrayList<>(chunk.getItems());
        for (int from = 0; from < devices.size(); from += devicesPerRequest) {
            dispatcher.dispatch(devices.subList(from, Math.min(devices.size(), from + devicesPerRequest)));
        }
    }
}
