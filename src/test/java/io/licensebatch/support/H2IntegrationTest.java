package io.licensebatch.support;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** An {@link IntegrationTest} on an H2 file database of its own (the embedded default), in a temporary folder. */
public abstract class H2IntegrationTest extends IntegrationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.h2(registry);
    }
}
