package io.licensebatch.config;

import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What Boot's batch auto-configuration leaves to us. The job registry is a bean of its own so that
 * {@code restart} finds every job by name, even a job whose listeners depend on the job operator.
 */
@Configuration
class BatchConfiguration {

    @Bean
    MapJobRegistry jobRegistry() {
        return new MapJobRegistry();
    }
}
