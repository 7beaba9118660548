package io.bulkreg.device;

import java.util.function.Function;
import java.util.function.Supplier;
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
    private final TransactionTemplate snapshot;

    public NewTransaction(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
        this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnly = new TransactionTemplate(transactionManager, this.template);
        this.readOnly.setReadOnly(true);
        this.snapshot = new TransactionTemplate(transactionManager, this.readOnly);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_SERIALIZABLE);
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
     * by several statements then add up. SERIALIZABLE, because H2's REPEATABLE READ is no snapshot across tables (a
     * table first read after another transaction's commit shows it); read-only, it blocks no writer on either database.
     */
    public <T> T snapshot(Supplier<T> work) {
        return snapshot.execute(status -> work.get());
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
