package io.licensebatch.domain.license;

/** How a chunk changes one pool: seats taken (negative: freed), and seats added to the pool's total. */
public record SeatDelta(PoolKey key, int usedDelta, int totalDelta) {
}
