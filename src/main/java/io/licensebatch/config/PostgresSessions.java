package io.licensebatch.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * How license-batch's PostgreSQL sessions are set up. Its queries are short and run by the thousand (a page
 * of the selection per chunk, per partition); once a large selection has statistics, the planner would give
 * each of them a parallel worker, whose start costs more than the query and whose CPU the partitions need. So
 * parallel query is off for these sessions. And every statement is planned with the values it runs with
 * ({@code plan_cache_mode = force_custom_plan}): after five runs of a prepared statement PostgreSQL may switch
 * to a generic plan that ignores them, and on tables without statistics that plan can be a scan per page.
 */
@Component
class PostgresSessions implements BeanPostProcessor {

    static final String INIT_SQL = "set max_parallel_workers_per_gather = 0; set plan_cache_mode = force_custom_plan";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null
                && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:") && dataSource.getConnectionInitSql() == null) {
            dataSource.setConnectionInitSql(INIT_SQL);
        }
        return bean;
    }
}
