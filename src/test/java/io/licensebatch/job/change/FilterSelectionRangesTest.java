package io.licensebatch.job.change;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The learner-id ranges a filter selection is taken in: contiguous, covering every id, split only when large. */
class FilterSelectionRangesTest {

    private final FilterSelection twoRanges = new FilterSelection(null, null, Runnable::run, 2, 20_000);

    @Test
    void anOrgWithoutLearnersIsOneRangeOverEveryId() {
        assertThat(twoRanges.ranges(null)).containsExactly(new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
    }

    @Test
    void aSmallOrgIsOneRange() {
        assertThat(twoRanges.ranges(new long[] {1_000, 30_000})).containsExactly(
                new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
    }

    @Test
    void aLargeOrgIsCutInTheMiddleOfItsIds() {
        assertThat(twoRanges.ranges(new long[] {1, 1_000_000})).containsExactly(
                new long[] {Long.MIN_VALUE, 500_000}, new long[] {500_001, Long.MAX_VALUE});
    }

    @Test
    void moreRangesStayContiguousEvenForHugeIds() {
        FilterSelection fourRanges = new FilterSelection(null, null, Runnable::run, 4, 10);
        List<long[]> ranges = fourRanges.ranges(new long[] {0, Long.MAX_VALUE - 1});

        assertThat(ranges).hasSize(4);
        assertThat(ranges.get(0)[0]).isEqualTo(Long.MIN_VALUE);
        assertThat(ranges.get(3)[1]).isEqualTo(Long.MAX_VALUE);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).isEqualTo(ranges.get(i - 1)[1] + 1).isGreaterThan(ranges.get(i - 1)[0]);
        }
    }
}
