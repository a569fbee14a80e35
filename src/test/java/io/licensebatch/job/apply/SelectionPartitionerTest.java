package io.licensebatch.job.apply;

import io.licensebatch.selection.SelectionGateway;
import io.licensebatch.support.PostgresIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large org's selection is cut into {@link SelectionPartitioner#RANGES_PER_THREAD} item ranges per thread,
 * contiguous, covering every item, and holding as many items each, however sparse the item numbers are.
 */
class SelectionPartitionerTest extends PostgresIntegrationTest {

    private static final long INSTANCE = 4242;

    @Autowired
    SelectionGateway selection;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aLargeOrgIsCutIntoRangesPerThreadHoldingAsManyItemsEach() {
        // 1,000 items of org 1, numbered sparsely and unevenly (as learner ids are), and 30 of org 2.
        List<Long> org1 = new ArrayList<>();
        long itemNo = 100;
        for (int i = 0; i < 1000; i++) {
            itemNo += i < 500 ? 1 : 1 + (i % 7) * 13;
            org1.add(itemNo);
        }
        org1.forEach(no -> insertItem(no, 1));
        for (long no = itemNo + 1; no <= itemNo + 30; no++) {
            insertItem(no, 2);
        }

        Map<String, ExecutionContext> partitions = new SelectionPartitioner(selection,
                new TransactionTemplate(transactionManager), INSTANCE, 2, 100).partition(2);

        List<long[]> ranges = partitions.entrySet().stream().filter(entry -> entry.getKey().startsWith("org1-"))
                .map(entry -> new long[] {entry.getValue().getLong(SelectionPartitioner.FIRST_ITEM),
                        entry.getValue().getLong(SelectionPartitioner.LAST_ITEM)})
                .toList();
        assertThat(ranges).as("2 threads x %d ranges", SelectionPartitioner.RANGES_PER_THREAD).hasSize(8);
        assertThat(ranges.get(0)[0]).isEqualTo(org1.get(0));
        assertThat(ranges.get(7)[1]).isEqualTo(org1.get(999));
        for (int i = 0; i < ranges.size(); i++) {
            long[] range = ranges.get(i);
            if (i > 0) {
                assertThat(range[0]).as("contiguous").isEqualTo(ranges.get(i - 1)[1] + 1);
            }
            assertThat(org1.stream().filter(no -> no >= range[0] && no <= range[1]).count()).isEqualTo(125);
        }
        assertThat(partitions).containsKey("org2").hasSize(9);
        assertThat(partitions.get("org2").getLong(SelectionPartitioner.FIRST_ITEM)).isEqualTo(itemNo + 1);
    }

    private void insertItem(long itemNo, long orgId) {
        jdbc.update("insert into selection_item (job_instance_id, item_no, org_id) values (?, ?, ?)", INSTANCE,
                itemNo, orgId);
    }
}
