package io.licensebatch.contract;

import io.licensebatch.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;

/** The command contract on PostgreSQL, the production database. */
class PostgresCommandContractTest extends CommandContract {

    static String db;

    @BeforeAll
    static void database() {
        db = TestDatabases.create("contract");
    }

    @Override
    String db() {
        return db;
    }
}
