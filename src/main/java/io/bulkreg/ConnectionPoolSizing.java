package io.bulkreg;

import com.zaxxer.hikari.HikariDataSource;
import io.bulkreg.registration.ConcurrencyProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Gives the database pool room for every partition of the registration step (one transaction at a time each: the
 * partition's step holds none of its own) and for the job's other threads (the job repository, the lease's heartbeat,
 * the stop-request poll, the progress line). A pool smaller than that would make partitions wait on each other for
 * connections, and at worst time out; a larger one costs the database a connection per slot and worker (N workers on
 * one PostgreSQL database hold N times the pool). Only ever raises the configured size.
 */
@Component
class ConnectionPoolSizing implements BeanPostProcessor {

    static final int PER_PARTITION = 1;
    static final int FOR_THE_JOB = 4;

    private static final Logger log = LoggerFactory.getLogger(ConnectionPoolSizing.class);

    private final ObjectProvider<ConcurrencyProperties> concurrency;

    ConnectionPoolSizing(ObjectProvider<ConcurrencyProperties> concurrency) {
        this.concurrency = concurrency;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            int needed = PER_PARTITION * concurrency.getObject().partitions() + FOR_THE_JOB;
            if (pool.getMaximumPoolSize() < needed) {
                log.debug("Database pool raised from {} to {} connections for bulkreg.concurrency's partitions", pool.getMaximumPoolSize(),
                        needed);
                pool.setMaximumPoolSize(needed);
            }
        }
        return bean;
    }
}
