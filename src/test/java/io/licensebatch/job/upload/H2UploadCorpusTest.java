package io.licensebatch.job.upload;

import io.licensebatch.support.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The upload corpus on H2 (the embedded default, file mode). */
class H2UploadCorpusTest extends UploadCorpus {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabases.h2(registry);
    }

    @Override
    String product() {
        return "H2";
    }
}
