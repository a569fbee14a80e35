package io.licensebatch.domain.license;

/** An organization's seats of one license type. */
public record SeatPool(PoolKey key, int seatsTotal, int seatsUsed) {

    public int free() {
        return seatsTotal - seatsUsed;
    }
}
