package io.bulkreg.device;

import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Work in a transaction of its own (REQUIRES_NEW), whatever transaction the caller is in: what the platform was told
 * and answered, and what a file imported, must be durable on its own, whatever Spring Batch later does with the
 * chunk's or the step's transaction.
 */
@Component
public class NewTransaction {

    private final TransactionTemplate template;
    private final TransactionTemplate readOnly;
    private final PlatformTransactionManager transactionManager;
    private volatile TransactionTemplate snapshot;

    public NewTransaction(PlatformTransactionManager transactionManager) {
        this.transactionManager = transactionManager;
        this.template = new TransactionTemplate(transactionManager);
        this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnly = new TransactionTemplate(transactionManager, this.template);
        this.readOnly.setReadOnly(true);
    }

    /**
     * Reads in a transaction of its own that writes nothing: PostgreSQL's driver fetches a result page by page (its
     * fetch size) only inside a transaction, so a reader of a million rows holds one page at a time.
     */
    public <T> T readOnly(Supplier<T> work) {
        return readOnly.execute(status -> work.get());
    }

    /**
     * Reads in a transaction of its own that sees the database at one moment, whatever commits meanwhile: figures read
     * by several statements then add up. Read-only, it blocks no writer.
     */
    public <T> T snapshot(Supplier<T> work) {
        TransactionTemplate template = snapshot;
        if (template == null) {
            template = new TransactionTemplate(transactionManager, readOnly);
            // PostgreSQL's REPEATABLE READ is one snapshot for the transaction, and read-only it never fails to
            // serialize (SERIALIZABLE may, where default_transaction_isolation makes the writers serializable too).
            // H2's is no snapshot across tables (a table first read after another's commit shows it): SERIALIZABLE is.
            template.setIsolationLevel(onPostgreSql() ? TransactionDefinition.ISOLATION_REPEATABLE_READ
                    : TransactionDefinition.ISOLATION_SERIALIZABLE);
            snapshot = template;
        }
        return template.execute(status -> work.get());
    }

    private boolean onPostgreSql() {
        return transactionManager instanceof DataSourceTransactionManager manager && manager.getDataSource() != null
                && DatabaseProduct.isPostgreSql(new JdbcTemplate(manager.getDataSource()));
    }

    /** Commits {@code work} on its own, or rolls it back if it throws. */
    public <T> T commit(Supplier<T> work) {
        return template.execute(status -> work.get());
    }

    /**
     * Runs {@code work} and rolls it back whatever it did: a rehearsal sees its own writes, nobody else does. The
     * work gets the transaction, for savepoints of its own.
     */
    public <T> T rolledBack(Function<TransactionStatus, T> work) {
        return template.execute(status -> {
            status.setRollbackOnly();
            return work.apply(status);
        });
    }
}
