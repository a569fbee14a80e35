package io.licensebatch.support;

import io.licensebatch.verify.InvariantChecker;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Base of the tests that run the application in the test JVM against a real database: each test class gets a
 * database of its own (see {@link PostgresIntegrationTest} and {@link H2IntegrationTest}), migrated by Flyway as
 * in production, and its own application context (closed after the class, so connection pools do not pile up).
 */
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class IntegrationTest {

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
}
