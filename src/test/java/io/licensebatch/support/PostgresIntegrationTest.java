package io.licensebatch.support;

import io.licensebatch.verify.InvariantChecker;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run against a real PostgreSQL: each test class gets a database of its own,
 * migrated by Flyway as in production, and its own application context (closed after the class, so
 * connection pools do not pile up).
 */
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class PostgresIntegrationTest {

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected Jobs jobs;

    @Autowired
    protected InvariantChecker invariants;

    /** Builds the accounts a test starts from, in this class's database. */
    protected TestAccounts accounts;

    @BeforeEach
    void accounts() {
        accounts = new TestAccounts(jdbc);
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabases.create("it");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", TestDatabases::user);
        registry.add("spring.datasource.password", () -> "");
    }
}
