package io.bulkreg.registration;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which platforms the requests of this database went to ({@code registration_request.platform}). */
@Repository
public class PlatformHistory {

    /** Devices that a platform registered, or may hold (in doubt, never answered). */
    public record Sent(String platform, long devices) {
    }

    private final JdbcClient jdbc;

    public PlatformHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Platforms other than {@code platform} that issued credentials held here or may hold devices of this database.
     * Requests recorded before the platform was (NULL) count for none.
     */
    public List<Sent> otherThan(String platform) {
        return jdbc.sql("SELECT platform, SUM(device_count) FROM registration_request WHERE platform IS NOT NULL "
                + "AND platform <> :platform AND (outcome IS NULL OR outcome IN (:registered, :inDoubt)) "
                + "GROUP BY platform ORDER BY platform")
                .param("platform", platform)
                .param("registered", RequestOutcome.REGISTERED.name())
                .param("inDoubt", RequestOutcome.IN_DOUBT.name())
                .query((rs, n) -> new Sent(rs.getString(1), rs.getLong(2)))
                .list();
    }
}
