package io.licensebatch.domain.license;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeatLedgerTest {

    private static final PoolKey PRO = new PoolKey(1, "PRO");
    private static final PoolKey HUB = new PoolKey(1, "HUB");
    private static final PoolKey ELSEWHERE = new PoolKey(2, "PRO");

    @Test
    void takesSeatsUntilThePoolIsFull() {
        SeatLedger ledger = new SeatLedger(Map.of(HUB, new SeatPool(HUB, 10, 8)));

        assertThat(ledger.take(HUB)).isTrue();
        assertThat(ledger.take(HUB)).isTrue();
        assertThat(ledger.take(HUB)).isFalse();
        assertThat(ledger.deltas()).containsExactly(new SeatDelta(HUB, 2, 0));
    }

    @Test
    void poolsAreFoundByValueAsTheyArriveFromTheDatabase() {
        // Each row read brings its own String instances: a pool is the same pool whatever instance names it.
        PoolKey read = new PoolKey(1, new String("HUB".toCharArray()));
        SeatLedger ledger = new SeatLedger(Map.of(read, new SeatPool(read, 10, 0)));

        assertThat(new PoolKey(1, new String("HUB".toCharArray()))).isEqualTo(read).hasSameHashCodeAs(read)
                .isNotEqualTo(ELSEWHERE).isNotEqualTo(new PoolKey(2, "HUB")).isNotEqualTo(PRO);
        assertThat(ledger.take(HUB)).isTrue();
        assertThat(ledger.deltas()).containsExactly(new SeatDelta(read, 1, 0));
    }

    @Test
    void aFreedSeatCanBeTakenAgain() {
        SeatLedger ledger = new SeatLedger(Map.of(HUB, new SeatPool(HUB, 1, 1), PRO, new SeatPool(PRO, 5, 5)));

        assertThat(ledger.take(HUB)).isFalse();
        ledger.free(HUB, 1);
        assertThat(ledger.take(HUB)).isTrue();
        ledger.free(PRO, 1);
        assertThat(ledger.free(PRO)).isEqualTo(1);
        assertThat(ledger.deltas()).containsExactly(new SeatDelta(PRO, -1, 0));
    }

    @Test
    void aPoolThatDoesNotExistHasNoSeats() {
        SeatLedger ledger = new SeatLedger(Map.of());

        assertThat(ledger.hasPool(ELSEWHERE)).isFalse();
        assertThat(ledger.take(ELSEWHERE)).isFalse();
        assertThat(ledger.deltas()).isEmpty();
    }

    @Test
    void transferredSeatsMoveWithTheirLearnersAndNeverRunOut() {
        SeatLedger ledger = new SeatLedger(Map.of(PRO, new SeatPool(PRO, 3, 3), HUB, new SeatPool(HUB, 0, 0)));

        for (int i = 0; i < 3; i++) {
            ledger.growWithLearner(HUB);
            ledger.shrinkWithLearner(PRO);
        }

        assertThat(ledger.deltas()).containsExactly(new SeatDelta(HUB, 3, 3), new SeatDelta(PRO, -3, -3));
        assertThat(ledger.free(HUB)).isZero();
    }

    @Test
    void refusesToTransferIntoAMissingPool() {
        SeatLedger ledger = new SeatLedger(Map.of());

        assertThatThrownBy(() -> ledger.growWithLearner(HUB)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void deltasComeInPoolOrder() {
        SeatLedger ledger = new SeatLedger(Map.of(PRO, new SeatPool(PRO, 9, 0), HUB, new SeatPool(HUB, 9, 0),
                ELSEWHERE, new SeatPool(ELSEWHERE, 9, 0)));

        ledger.take(ELSEWHERE);
        ledger.take(PRO);
        ledger.take(HUB);

        assertThat(ledger.deltas()).extracting(SeatDelta::key).containsExactly(HUB, PRO, ELSEWHERE);
    }
}
