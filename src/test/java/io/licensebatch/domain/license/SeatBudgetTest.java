package io.licensebatch.domain.license;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seat budget decides who gets a seat of a short pool from frozen numbers only. Within one range it is
 * exactly "one learner at a time, in selection order"; across ranges running at the same time the pool never
 * goes over its total, whatever the interleaving; and resumed from counts it decides as if never interrupted.
 */
class SeatBudgetTest {

    private static final PoolKey HUB = new PoolKey(1, "LEARNING_HUB");

    /** What happens at one item of a range: an arrival that wants its seat, one rejected for another reason, a leaver. */
    private enum Event { WANTS, REJECTED_OTHERWISE, LEAVES }

    @RepeatedTest(50)
    void withinOneRangeItIsExactlyOneLearnerAtATimeInSelectionOrder() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        List<Event> events = events(random, 200);
        int free = random.nextInt(40);
        long arrivals = events.stream().filter(event -> event != Event.LEAVES).count();

        SeatBudget budget = new SeatBudget(Map.of(HUB, (int) Math.min(arrivals, free)));
        List<Boolean> decided = decide(budget, events);

        assertThat(decided).as("seed %d", seed).isEqualTo(sequentially(events, free));
    }

    @RepeatedTest(50)
    void rangesAtTheSameTimeNeverTakeMoreSeatsThanAreFreeWhateverTheInterleaving() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        int free = random.nextInt(30);
        List<List<Event>> ranges = List.of(events(random, 80), events(random, 80), events(random, 80));
        long remaining = free;
        List<SeatBudget> budgets = new ArrayList<>();
        for (List<Event> range : ranges) {
            long arriving = range.stream().filter(event -> event != Event.LEAVES).count();
            budgets.add(new SeatBudget(Map.of(HUB, (int) Math.min(arriving, remaining))));
            remaining -= Math.min(arriving, remaining);
        }
        int[] next = new int[ranges.size()];
        int used = 0;
        while (true) {
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                if (next[i] < ranges.get(i).size()) {
                    open.add(i);
                }
            }
            if (open.isEmpty()) {
                break;
            }
            int range = open.get(random.nextInt(open.size()));
            Event event = ranges.get(range).get(next[range]++);
            if (event == Event.LEAVES) {
                budgets.get(range).freed(HUB);
                used--;
            } else if (budgets.get(range).arrives(HUB) && event == Event.WANTS) {
                budgets.get(range).took(HUB);
                used++;
            }
            assertThat(used).as("seed %d: seats taken beyond the free ones", seed).isLessThanOrEqualTo(free);
        }
    }

    @Test
    void resumedFromItsCountsItDecidesAsIfNeverInterrupted() {
        Random random = new Random(7);
        List<Event> events = events(random, 300);
        long arrivals = events.stream().filter(event -> event != Event.LEAVES).count();
        Map<PoolKey, Integer> initial = Map.of(HUB, (int) Math.min(arrivals, 25));
        List<Boolean> whole = decide(new SeatBudget(initial), events);

        int cut = 137;
        long seen = events.subList(0, cut).stream().filter(event -> event != Event.LEAVES).count();
        long taken = 0;
        long freed = 0;
        for (int i = 0; i < cut; i++) {
            if (events.get(i) == Event.LEAVES) {
                freed++;
            } else if (events.get(i) == Event.WANTS && whole.get(i)) {
                taken++;
            }
        }
        SeatBudget resumed = new SeatBudget(initial);
        resumed.resume(HUB, seen, taken, freed);

        assertThat(decide(resumed, events.subList(cut, events.size()))).isEqualTo(whole.subList(cut, whole.size()));
    }

    @Test
    void aPoolWithoutABudgetIsNotLimited() {
        SeatBudget budget = SeatBudget.unlimited();
        assertThat(budget.limits(HUB)).isFalse();
        assertThat(budget.arrives(HUB)).isTrue();
    }

    @Test
    void aCopyPlansApartFromTheOriginal() {
        SeatBudget budget = new SeatBudget(Map.of(HUB, 1));
        SeatBudget plan = budget.copy();
        assertThat(plan.arrives(HUB)).isTrue();
        plan.took(HUB);
        assertThat(plan.arrives(HUB)).isFalse();
        assertThat(budget.arrives(HUB)).as("the original has seen nobody yet").isTrue();
    }

    private static List<Event> events(Random random, int count) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(10);
            events.add(roll < 6 ? Event.WANTS : roll < 8 ? Event.REJECTED_OTHERWISE : Event.LEAVES);
        }
        return events;
    }

    /** Per event: whether it took a seat (a leaver counts as not). */
    private static List<Boolean> decide(SeatBudget budget, List<Event> events) {
        List<Boolean> decided = new ArrayList<>();
        for (Event event : events) {
            if (event == Event.LEAVES) {
                budget.freed(HUB);
                decided.add(false);
            } else {
                boolean may = budget.arrives(HUB);
                boolean takes = may && event == Event.WANTS;
                if (takes) {
                    budget.took(HUB);
                }
                decided.add(takes);
            }
        }
        return decided;
    }

    /** The rule as a person states it: one learner at a time, each takes a free seat if there is one. */
    private static List<Boolean> sequentially(List<Event> events, int free) {
        List<Boolean> decided = new ArrayList<>();
        int seats = free;
        for (Event event : events) {
            if (event == Event.LEAVES) {
                seats++;
                decided.add(false);
            } else if (event == Event.WANTS && seats > 0) {
                seats--;
                decided.add(true);
            } else {
                decided.add(false);
            }
        }
        return decided;
    }
}
