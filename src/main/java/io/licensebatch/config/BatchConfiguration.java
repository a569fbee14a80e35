package io.licensebatch.config;

import io.licensebatch.db.DatabaseDialect;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * What Boot's batch auto-configuration leaves to us. The job registry is a bean of its own so that
 * {@code restart} finds every job by name, even a job whose listeners depend on the job operator. Partitioned
 * steps share one pool of threads.
 */
@Configuration
public class BatchConfiguration {

    @Bean
    MapJobRegistry jobRegistry() {
        return new MapJobRegistry();
    }

    /** The threads partitioned steps run on: one per partition that runs at once. */
    @Bean
    TaskExecutor partitionExecutor(LicenseBatchProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(properties.partitions());
        executor.setMaxPoolSize(properties.partitions());
        executor.setThreadNamePrefix("partition-");
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.initialize();
        return executor;
    }

    /** How many partitions a step splits into: the embedded H2 database takes one writer at a time. */
    public static int partitionsOn(JdbcTemplate jdbc, LicenseBatchProperties properties) {
        return DatabaseDialect.of(jdbc) == DatabaseDialect.H2 ? 1 : properties.partitions();
    }
}
