package io.licensebatch.console;

import java.time.Duration;
import java.util.Locale;

/** Numbers and durations the way operators read them: 454,000 learners, 12.3 s, ETA 2m05s. */
public final class Numbers {

    private Numbers() {
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** Items per second over a duration, or "-" before there is anything to measure. */
    public static String rate(long items, Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        if (seconds <= 0 || items == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%,.0f/s", items / seconds);
    }

    /** Time left at the rate so far, or "-" when it cannot be told yet. */
    public static String eta(long done, long total, Duration elapsed) {
        if (done <= 0 || total <= done) {
            return done >= total ? "0 s" : "-";
        }
        long remainingMillis = (long) ((double) elapsed.toMillis() * (total - done) / done);
        return duration(Duration.ofMillis(remainingMillis));
    }

    /** "1 learner", "2,000 learners". */
    public static String learners(long n) {
        return count(n) + (n == 1 ? " learner" : " learners");
    }

    public static String percent(long done, long total) {
        if (total == 0) {
            return "100%";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100.0 * done / total);
    }
}
