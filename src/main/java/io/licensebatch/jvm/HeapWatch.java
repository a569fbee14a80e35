package io.licensebatch.jvm;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most heap this process ever had in use (as measured just before each garbage collection). Printed with
 * every job's summary, and read by the benchmark: it shows a run fits its -Xmx and that memory stays flat
 * however many learners a run has. (The collector lets garbage fill the heap it is given before collecting,
 * so the peak is close to -Xmx by design; what matters is that it does not grow with the run.)
 */
public final class HeapWatch {

    private static final AtomicLong PEAK_USED = new AtomicLong();

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
        long before = info.getGcInfo().getMemoryUsageBeforeGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
        PEAK_USED.accumulateAndGet(before, Math::max);
    }
}
