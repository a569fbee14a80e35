package io.licensebatch.job.common;

import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claims of an apply step's ranges as the manager's poll reads them: all of a job instance's at once, from
 * PostgreSQL's lock table, and only that instance's.
 */
class PartitionClaimsTest extends PostgresIntegrationTest {

    @Autowired
    RequestClaims claims;

    @Test
    void theHeldRangesOfAnInstanceAreReadAllAtOnceAndOnlyThoseOfThatInstance() {
        long instance = 70_001;
        assertThat(claims.heldPartitions(instance)).isEmpty();
        try (RequestClaims.Claim third = claims.claimPartition(instance, 3).orElseThrow();
             RequestClaims.Claim last = claims.claimPartition(instance, 65_535).orElseThrow();
             RequestClaims.Claim otherInstance = claims.claimPartition(instance + 1, 5).orElseThrow();
             RequestClaims.Claim farInstance = claims.claimPartition(instance + (1 << 16), 4).orElseThrow()) {
            RequestClaims.Claim seventh = claims.claimPartition(instance, 7).orElseThrow();
            assertThat(claims.heldPartitions(instance)).containsExactlyInAnyOrder(3, 7, 65_535);
            assertThat(claims.claimPartition(instance, 7)).as("held: a second claim is refused").isEmpty();
            seventh.close();
            assertThat(claims.heldPartitions(instance)).containsExactlyInAnyOrder(3, 65_535);
            assertThat(claims.heldPartitions(instance + 1)).containsExactly(5);
            assertThat(claims.heldPartitions(instance + (1 << 16))).containsExactly(4);
        }
        assertThat(claims.heldPartitions(instance)).isEmpty();
    }
}
