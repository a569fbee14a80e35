package io.licensebatch.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * How license-batch's PostgreSQL sessions are set up. Its queries are short and run by the thousand (a page
 * of the selection per chunk, per partition); once a large selection has statistics, the planner would give
 * each of them a parallel worker, whose start costs more than the query and whose CPU the partitions need. So
 * parallel query is off for these sessions. And every statement is planned with the values it runs with: the
 * driver never keeps a server-side prepared statement ({@code prepareThreshold=0}), so PostgreSQL never switches
 * to a generic plan that ignores them (after five runs of a prepared statement it may, and on tables without
 * statistics that plan can be a scan per page). Not {@code plan_cache_mode = force_custom_plan} for the session:
 * that also re-plans the query of every foreign-key check, once per inserted row (starting 2,000 assignments
 * took 60 ms instead of 35).
 */
@Component
class PostgresSessions implements BeanPostProcessor {

    static final String INIT_SQL = "set max_parallel_workers_per_gather = 0";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null
                && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:") && dataSource.getConnectionInitSql() == null) {
            dataSource.setConnectionInitSql(INIT_SQL);
            dataSource.addDataSourceProperty("prepareThreshold", "0");
        }
        return bean;
    }
}
