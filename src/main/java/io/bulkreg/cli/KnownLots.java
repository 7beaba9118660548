package io.bulkreg.cli;

import java.io.PrintWriter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A `--lot` that names no lot is a mistake (a typo, the wrong database), not an empty answer. */
@Component
public class KnownLots {

    private final JdbcClient jdbc;

    public KnownLots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String lot) {
        return jdbc.sql("SELECT (SELECT COUNT(*) FROM device_registration WHERE lot_id = :lot) "
                        + "+ (SELECT COUNT(*) FROM registration_skip WHERE lot_id = :lot) "
                        + "+ (SELECT COUNT(*) FROM lot_import WHERE lot_id = :lot)")
                .param("lot", lot)
                .query(Long.class)
                .single() > 0;
    }

    /** True if the lot exists; otherwise says so on {@code err}. A null lot (all lots) always passes. */
    boolean checked(String lot, PrintWriter err) {
        if (lot == null || exists(lot)) {
            return true;
        }
        err.println("bulkreg: there is no lot " + lot + " in this database (`report` lists the lots).");
        err.flush();
        return false;
    }
}
