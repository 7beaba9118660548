package io.bulkreg.registration;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which platform's credentials this database keeps ({@code platform_of_record}) and where its requests went
 * ({@code registration_request.platform}).
 */
@Repository
public class PlatformHistory {

    /** Why a platform became the platform of record. */
    public enum Reason {
        /** The first run that sent from this database. */
        FIRST_RUN,
        /** An operator allowed a run against another platform than the one on record. */
        CHANGE_ALLOWED
    }

    /** The platform of record and how many devices it registered or may hold. */
    public record OnRecord(String platform, long devices) {
    }

    private static final String HOLDS_DEVICES = "(outcome IS NULL OR outcome IN ('" + RequestOutcome.REGISTERED.name()
            + "', '" + RequestOutcome.IN_DOUBT.name() + "'))";

    private final JdbcClient jdbc;

    public PlatformHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest platform of record, with the devices its requests registered or may hold. */
    public Optional<OnRecord> onRecord() {
        return jdbc.sql("SELECT platform FROM platform_of_record ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
                .query(String.class).optional()
                .map(platform -> new OnRecord(platform, devicesSentTo(platform)));
    }

    /** Devices registered (or possibly held) by requests sent before bulkreg recorded the platform. */
    public long devicesOfUnrecordedPlatform() {
        return jdbc.sql("SELECT COALESCE(SUM(device_count), 0) FROM registration_request WHERE platform IS NULL AND "
                + HOLDS_DEVICES).query(Long.class).single();
    }

    public void record(String platform, Reason reason) {
        jdbc.sql("INSERT INTO platform_of_record (platform, reason, recorded_at) VALUES (:platform, :reason, :now)")
                .param("platform", platform)
                .param("reason", reason.name())
                .param("now", Timestamp.from(Instant.now()))
                .update();
    }

    private long devicesSentTo(String platform) {
        return jdbc.sql("SELECT COALESCE(SUM(device_count), 0) FROM registration_request WHERE platform = :platform AND "
                + HOLDS_DEVICES).param("platform", platform).query(Long.class).single();
    }
}
