package io.bulkreg.registration;

import io.bulkreg.device.DeviceStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An operator's decision about devices in doubt: send them again (the platform may then hold a device
 * twice: a serial it already holds is refused, so such a device ends REJECTED) or give them up.
 */
@Component
public class InDoubtResolution {

    private final JdbcClient jdbc;

    public InDoubtResolution(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Resolves the lot's devices that are still in doubt: set-based, so a rescue stored meanwhile (the device is then
     * REGISTERED) is never sent again, and a lot of any size fits (no list of ids as bind parameters).
     *
     * @return the number of devices resolved
     */
    @Transactional
    public int resolve(String lot, Resolution resolution, boolean testDevicesOnly) {
        return resolve(lot, resolution, testDevicesOnly, Set.of());
    }

    /**
     * @param keysWaiting requests whose keys wait in a rescue file that could not be stored: their devices are left in
     *                    doubt, under their request id, so that the rescue can still be stored on them later
     */
    @Transactional
    public int resolve(String lot, Resolution resolution, boolean testDevicesOnly, Set<RequestId> keysWaiting) {
        DeviceStatus next = resolution == Resolution.RESENT ? DeviceStatus.PENDING : DeviceStatus.REJECTED;
        String inDoubt = "status = :inDoubt AND lot_id = :lot" + (testDevicesOnly ? " AND is_test = TRUE" : "")
                + (keysWaiting.isEmpty() ? "" : " AND (request_id IS NULL OR request_id NOT IN (:keysWaiting))");
        List<String> waiting = keysWaiting.stream().map(RequestId::value).toList();
        // The skips first, while their devices are still IN_DOUBT and so still say which rows are meant.
        jdbc.sql("UPDATE registration_skip SET resolution = :resolution, resolved_at = :now "
                + "WHERE kind = 'IN_DOUBT' AND resolution IS NULL AND registration_id IN "
                + "(SELECT id FROM device_registration WHERE " + inDoubt + ")")
                .param("resolution", resolution.name())
                .param("now", Timestamp.from(Instant.now()))
                .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                .param("lot", lot)
                .param("keysWaiting", waiting)
                .update();
        return jdbc.sql("UPDATE device_registration SET status = :next, request_id = NULL WHERE " + inDoubt)
                .param("next", next.name())
                .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                .param("lot", lot)
                .param("keysWaiting", waiting)
                .update();
    }

    /** The lot's devices in doubt whose keys wait in a rescue file of one of these requests. */
    public int inDoubtWithKeysWaiting(String lot, Set<RequestId> keysWaiting) {
        if (keysWaiting.isEmpty()) {
            return 0;
        }
        return jdbc.sql("SELECT COUNT(*) FROM device_registration WHERE status = :inDoubt AND lot_id = :lot "
                + "AND request_id IN (:keysWaiting)")
                .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                .param("lot", lot)
                .param("keysWaiting", keysWaiting.stream().map(RequestId::value).toList())
                .query(Integer.class).single();
    }

    /**
     * Test devices in doubt of every lot go back to PENDING: a duplicate test device is harmless. Those whose keys wait
     * in a rescue file of one of {@code keysWaiting} stay: they are registered, and resending them would register them
     * twice and leave the rescue unstorable.
     */
    @Transactional
    public int resendTestDevices(Set<RequestId> keysWaiting) {
        List<String> lots = jdbc.sql("SELECT DISTINCT lot_id FROM device_registration WHERE status = :inDoubt AND is_test = TRUE")
                .param("inDoubt", DeviceStatus.IN_DOUBT.name())
                .query(String.class).list();
        int resent = 0;
        for (String lot : lots) {
            resent += resolve(lot, Resolution.RESENT, true, keysWaiting);
        }
        return resent;
    }
}
