package io.licensebatch.jvm;

import org.junit.jupiter.api.Test;

import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The peak heap counts the heap's pools only: Metaspace and the code cache are outside -Xmx. */
class HeapWatchTest {

    @Test
    void onlyHeapPoolsCount() {
        Map<String, MemoryUsage> beforeGc = Map.of(
                "Eden Space", used(30), "Survivor Space", used(2), "Tenured Gen", used(20),
                "Metaspace", used(45), "CodeHeap 'non-profiled nmethods'", used(8), "Compressed Class Space", used(5));

        long heap = HeapWatch.heapUsed(beforeGc, Set.of("Eden Space", "Survivor Space", "Tenured Gen"));

        assertThat(heap).isEqualTo(52L << 20);
    }

    private static MemoryUsage used(long megabytes) {
        return new MemoryUsage(0, megabytes << 20, megabytes << 20, -1);
    }
}
