package io.licensebatch.job.upload;

import io.licensebatch.domain.learner.LearnerStatus;
import io.licensebatch.support.LearnerSpec;
import io.licensebatch.support.TestAccounts;
import io.licensebatch.support.TestAccounts.Account;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.licensebatch.support.LearnerSpec.aLearner;
import static io.licensebatch.support.TestAccounts.CLASSIC;
import static io.licensebatch.support.TestAccounts.ESSENTIALS;
import static io.licensebatch.support.TestAccounts.HUB;
import static io.licensebatch.support.TestAccounts.PRO;

/**
 * The accounts every upload of the corpus (src/test/resources/uploads) runs against; a fresh copy per
 * upload. See src/test/resources/uploads/README.md for who is who.
 */
final class UploadFixture {

    /** A type that exists but of which "Upload Co" has no pool. */
    static final String LAB = "LEARNING_LAB";

    final Account upload;
    final Account other;
    /** Learner ids by short name (ana, bo, ... and zed, ana-other in the other org). */
    final Map<String, Long> ids = new LinkedHashMap<>();

    UploadFixture(JdbcTemplate jdbc) {
        TestAccounts accounts = new TestAccounts(jdbc);
        accounts.type(LAB, false);
        upload = accounts.account("Upload Co").pool(PRO, 100).pool(HUB, 100).pool(ESSENTIALS, 2).pool(CLASSIC, 10);
        other = accounts.account("Other Co").pool(PRO, 10);
        add(upload, "ana", learner("ana@upload.example", "EXT-ANA").onLicense(PRO));
        add(upload, "bo", learner("bo@upload.example", "EXT-BO").onLicense(PRO));
        add(upload, "cy", learner("cy@upload.example", "EXT-CY").onLicense(HUB));
        add(upload, "di", learner("di@upload.example", "EXT-DI").status(LearnerStatus.PENDING));
        add(upload, "ed", learner("ed@upload.example", "EXT-ED").status(LearnerStatus.DEACTIVATED).onLicense(PRO));
        add(upload, "fay", learner("fay@upload.example", null).onLicense(ESSENTIALS));
        add(upload, "gus", learner("gus@upload.example", "EXT-GUS"));
        add(upload, "hal", learner("Hal.Upper@Upload.Example", "EXT-HAL").onLicense(CLASSIC));
        add(upload, "ida", learner("ida@upload.example", "EXT-IDA").onLicense(ESSENTIALS));
        add(upload, "jo", learner("jo@upload.example", "EXT-JO").onLicense(PRO));
        add(other, "zed", learner("zed@other.example", "EXT-ZED").onLicense(PRO));
        add(other, "ana-other", learner("ana@other.example", "EXT-ANA").onLicense(PRO));
    }

    private void add(Account account, String name, LearnerSpec spec) {
        ids.put(name, account.learner(spec));
    }

    private static LearnerSpec learner(String email, String externalId) {
        return aLearner().email(email).externalId(externalId);
    }
}
