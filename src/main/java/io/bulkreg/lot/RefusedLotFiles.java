package io.bulkreg.lot;

import io.bulkreg.device.SkipLog;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lot files refused whole (table refused_lot_file), once per content and file name: the same unchanged file
 * on the next night updates when it was last seen instead of adding an error; two empty files are two rows. A
 * refused file is no lot: nothing goes to registration_skip.
 */
@Component
public class RefusedLotFiles {

    private final JdbcClient jdbc;

    public RefusedLotFiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the reason, and when the same file was refused first if that was in an earlier run */
    String record(String name, String sha256, String reason, Long jobExecutionId) {
        Timestamp now = Timestamp.from(Instant.now());
        String file = SkipLog.truncate(name, ColumnWidths.FILE_NAME);
        Optional<String> first = jdbc.sql("SELECT first_refused_at FROM refused_lot_file WHERE sha256 = :sha "
                + "AND file_name = :file").param("sha", sha256).param("file", file).query(String.class).optional();
        if (first.isPresent()) {
            jdbc.sql("UPDATE refused_lot_file SET reason = :reason, last_job_execution_id = :execution, "
                    + "last_refused_at = :now WHERE sha256 = :sha AND file_name = :file")
                    .param("reason", SkipLog.truncate(reason, ColumnWidths.REASON)).param("execution", jobExecutionId)
                    .param("now", now).param("sha", sha256).param("file", file).update();
            return reason + " (the same file was first refused at " + first.get() + ")";
        }
        jdbc.sql("INSERT INTO refused_lot_file (file_name, sha256, reason, first_job_execution_id, last_job_execution_id, "
                + "first_refused_at, last_refused_at) VALUES (:file, :sha, :reason, :execution, :execution, :now, :now)")
                .param("file", file).param("sha", sha256)
                .param("reason", SkipLog.truncate(reason, ColumnWidths.REASON)).param("execution", jobExecutionId).param("now", now)
                .update();
        return reason;
    }

    /**
     * Forgets the refused files of {@code inbox} that are no longer there: a person removed them, there is nothing
     * left to look at.
     *
     * @return how many were forgotten
     */
    public int forgetGone(Path inbox) {
        Path folder = inbox.toAbsolutePath().normalize();
        record Row(long id, String file) {
        }
        List<Row> rows = jdbc.sql("SELECT id, file_name FROM refused_lot_file")
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2))).list();
        int forgotten = 0;
        for (Row row : rows) {
            if (isGoneFrom(folder, row.file())) {
                forgotten += jdbc.sql("DELETE FROM refused_lot_file WHERE id = :id").param("id", row.id()).update();
            }
        }
        return forgotten;
    }

    private static boolean isGoneFrom(Path folder, String fileName) {
        try {
            Path file = Path.of(fileName).toAbsolutePath().normalize();
            return folder.equals(file.getParent()) && !Files.exists(file);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
