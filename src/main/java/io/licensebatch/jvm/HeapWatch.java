package io.licensebatch.jvm;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The most heap this process ever had in use (as measured just before each garbage collection). Printed with
 * every job's summary, and read by the benchmark: it shows a run fits its -Xmx and that memory stays flat
 * however many learners a run has. (The collector lets garbage fill the young generation before collecting,
 * so the peak follows the heap it is given as much as the run; what matters is that it does not grow with the
 * run.)
 */
public final class HeapWatch {

    private static final AtomicLong PEAK_USED = new AtomicLong();

    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());

    private HeapWatch() {
    }

    public static void start() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        record(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                    }
                }, null, null);
            }
        }
    }

    /** "JVM: peak heap 61 MB used of 128 MB max" (the heap in use now counts too, for runs without a GC). */
    public static String summary() {
        long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long used = Math.max(PEAK_USED.get(), now);
        return String.format("JVM: peak heap %d MB used of %d MB max", used >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void record(GarbageCollectionNotificationInfo info) {
        PEAK_USED.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc(), HEAP_POOLS), Math::max);
    }

    /**
     * The heap in use: the collector reports every memory pool it knows, Metaspace and the code cache among
     * them, and those are not heap (they are outside -Xmx).
     */
    static long heapUsed(Map<String, MemoryUsage> pools, Set<String> heapPools) {
        return pools.entrySet().stream().filter(pool -> heapPools.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
    }
}
