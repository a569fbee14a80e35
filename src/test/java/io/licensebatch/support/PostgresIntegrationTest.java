package io.licensebatch.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An {@link IntegrationTest} on a PostgreSQL database of its own, on the machine's server. */
public abstract class PostgresIntegrationTest extends IntegrationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.postgres(registry);
    }
}
