package io.bulkreg.registration;

import io.bulkreg.mcs.AnswerCredentials;
import io.bulkreg.mcs.Credential;
import io.bulkreg.mcs.DeviceReadException;
import io.bulkreg.mcs.McsClient;
import io.bulkreg.mcs.PlatformDevice;
import io.bulkreg.registration.DeviceRegistrations.DeviceInDoubt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Settles devices in doubt from the answers kept for them: the ids an answer carried are read from the platform
 * ({@link McsClient#readDevices}), each device found is matched to a device of the request by product and serial (by
 * product and name for a device without serial), and only a match that is unique both ways gets the key the answer
 * carried for that id. The rest stays in doubt. An answer is settled once a pass over it ran through: its ids and
 * the platform's devices do not change, so a later pass could match nothing more.
 */
@Component
public class AnswerReconciliation {

    /** What became of one kept answer. {@code failure}: why it was left for a later pass (nothing was stored). */
    public record Reconciled(String requestId, int httpStatus, int inDoubtBefore, int entries, int unusable,
            int found, int matched, int stored, int stillInDoubt, boolean settled, String failure) {
    }

    private final KeptAnswers answers;
    private final DeviceRegistrations registrations;
    private final JdbcClient jdbc;

    public AnswerReconciliation(KeptAnswers answers, DeviceRegistrations registrations, JdbcClient jdbc) {
        this.answers = answers;
        this.registrations = registrations;
        this.jdbc = jdbc;
    }

    /** @param dryRun match and count, store and settle nothing */
    public List<Reconciled> reconcile(McsClient client, boolean dryRun) {
        List<Reconciled> done = new ArrayList<>();
        for (KeptAnswer answer : answers.unsettled()) {
            done.add(reconcile(client, answer, dryRun));
        }
        return done;
    }

    private Reconciled reconcile(McsClient client, KeptAnswer answer, boolean dryRun) {
        RequestId request = new RequestId(answer.requestId());
        List<DeviceInDoubt> inDoubt = registrations.stillInDoubt(request);
        String platform = jdbc.sql("SELECT platform FROM registration_request WHERE request_id = :requestId")
                .param("requestId", answer.requestId()).query(String.class).optional().orElse(null);
        if (platform != null && !platform.equals(client.platform())) {
            return failed(answer, inDoubt.size(), "it was sent to " + platform + ", not to " + client.platform());
        }
        byte[] body;
        try {
            body = answers.open(answer);
        } catch (IllegalStateException e) {
            return failed(answer, inDoubt.size(), e.getMessage());
        }
        AnswerCredentials.Carried carried = AnswerCredentials.read(body);
        Map<String, Credential> byId = uniqueIds(carried.credentials());
        List<PlatformDevice> found = List.of();
        if (!inDoubt.isEmpty() && !byId.isEmpty()) {
            try {
                found = client.readDevices(List.copyOf(byId.keySet())).stream()
                        .filter(d -> byId.containsKey(d.deviceId())).toList();
            } catch (DeviceReadException e) {
                return failed(answer, inDoubt.size(), e.getMessage());
            }
        }
        if (!inDoubt.isEmpty() && !byId.isEmpty() && found.isEmpty()) {
            // Not settled: a platform that knows none of the ids it issued is the wrong one (or a sandbox restarted).
            return failed(answer, inDoubt.size(), "the platform knows none of the " + byId.size() + " device id(s) the "
                    + "answer carried");
        }
        List<Credential> matched = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        match(inDoubt, found, byId, matched, rows);
        int stored = dryRun ? 0 : registrations.storeReconciled(request, matched, rows);
        int left = dryRun ? inDoubt.size() - matched.size() : registrations.stillInDoubt(request).size();
        if (!dryRun) {
            answers.settle(answer.requestId(), "carried " + byId.size() + " usable credential(s) of " + carried.entries()
                    + " entries; the platform knew " + found.size() + "; stored " + stored + "; " + left + " left in doubt");
        }
        return new Reconciled(answer.requestId(), answer.httpStatus(), inDoubt.size(), carried.entries(),
                carried.unusable(), found.size(), matched.size(), stored, left, !dryRun, null);
    }

    /**
     * An id answered twice with two keys, or a key answered under two ids, is no one's: left out, as any doubt about a
     * key (pairing either would store one key on two devices).
     */
    private static Map<String, Credential> uniqueIds(List<Credential> credentials) {
        Map<String, Credential> byId = new LinkedHashMap<>();
        Map<String, String> idOfKey = new HashMap<>();
        Set<String> conflicting = new HashSet<>();
        for (Credential c : credentials) {
            Credential earlier = byId.putIfAbsent(c.deviceId(), c);
            if (earlier != null && !earlier.deviceKey().equals(c.deviceKey())) {
                conflicting.add(c.deviceId());
            }
            String otherId = idOfKey.putIfAbsent(c.deviceKey(), c.deviceId());
            if (otherId != null && !otherId.equals(c.deviceId())) {
                conflicting.add(otherId);
                conflicting.add(c.deviceId());
            }
        }
        conflicting.forEach(byId::remove);
        return byId;
    }

    /**
     * Pairs platform devices with devices of the request: by product and serial, or by product and name for a device
     * without serial. A key that more than one device of either side has is ambiguous and matches nothing.
     */
    private static void match(List<DeviceInDoubt> inDoubt, List<PlatformDevice> found, Map<String, Credential> byId,
            List<Credential> matched, List<Long> rows) {
        Map<Identity, List<DeviceInDoubt>> ours = new HashMap<>();
        for (DeviceInDoubt d : inDoubt) {
            ours.computeIfAbsent(Identity.of(d.prodId(), d.serial(), d.name()), k -> new ArrayList<>()).add(d);
        }
        Map<Identity, List<PlatformDevice>> theirs = new HashMap<>();
        for (PlatformDevice p : found) {
            theirs.computeIfAbsent(Identity.of(p.prodId(), p.serial(), p.name()), k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<Identity, List<PlatformDevice>> entry : theirs.entrySet()) {
            List<DeviceInDoubt> candidates = ours.getOrDefault(entry.getKey(), List.of());
            if (entry.getValue().size() == 1 && candidates.size() == 1) {
                PlatformDevice device = entry.getValue().get(0);
                Credential carried = byId.get(device.deviceId());
                // The chip name comes from the platform's description: the bulk answer does not carry it.
                matched.add(new Credential(carried.deviceId(), carried.deviceKey(),
                        carried.chipName() != null ? carried.chipName() : device.chipName()));
                rows.add(candidates.get(0).id());
            }
        }
    }

    /** How a device is recognised: product and serial, or product and name when it has no serial. */
    private record Identity(String prodId, String serial, String name) {
        static Identity of(String prodId, String serial, String name) {
            return serial != null ? new Identity(prodId, serial, null) : new Identity(prodId, null, Objects.requireNonNullElse(name, ""));
        }
    }

    private static Reconciled failed(KeptAnswer answer, int inDoubt, String why) {
        return new Reconciled(answer.requestId(), answer.httpStatus(), inDoubt, 0, 0, 0, 0, 0, inDoubt, false, why);
    }
}
