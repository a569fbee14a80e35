package io.licensebatch.support;

import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@link Faults#slowDown} for H2: every statement that inserts into a table takes at least this long, for the
 * tests that act on an embedded run while it is under way. A trigger that calls this class, so the processes
 * that open the database need it on their class path (the test processes have it); {@link #clear} takes it away
 * again before a process without it opens the database.
 */
public final class SlowH2Statements implements Trigger {

    private static final String PREFIX = "slow_inserts_";

    private long millis;

    /** Slows the inserts into {@code table} of the H2 file database at {@code url} (user sa) by {@code millis}. */
    public static void slowDown(String url, String table, int millis) {
        TestDatabases.h2Jdbc(url).execute("create trigger " + trigger(table, millis) + " after insert on " + table
                + " for each statement call \"" + SlowH2Statements.class.getName() + "\"");
    }

    public static void clear(String url, String table, int millis) {
        TestDatabases.h2Jdbc(url).execute("drop trigger if exists " + trigger(table, millis));
    }

    /** The trigger's name carries its table and its delay (H2 gives a trigger nothing else to go by). */
    private static String trigger(String table, int millis) {
        return PREFIX + table + "_" + millis;
    }

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type) {
        millis = Long.parseLong(trigger.substring(trigger.lastIndexOf('_') + 1));
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while slowed down", e);
        }
    }
}
