package io.licensebatch.job.upload;

import io.licensebatch.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The upload corpus on PostgreSQL. */
class PostgresUploadCorpusTest extends UploadCorpus {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.postgres(registry);
    }

    @Override
    String product() {
        return "PostgreSQL";
    }
}
