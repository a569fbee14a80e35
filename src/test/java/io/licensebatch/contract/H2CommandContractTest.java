package io.licensebatch.contract;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The command contract on H2 in file mode, the embedded default: a first try needs no server. */
class H2CommandContractTest extends CommandContract {

    @TempDir
    static Path folder;

    static String db;

    @BeforeAll
    static void database() {
        db = "jdbc:h2:file:" + folder.resolve("contract")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;USER=sa";
    }

    @Override
    String db() {
        return db;
    }
}
