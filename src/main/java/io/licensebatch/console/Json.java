package io.licensebatch.console;

import org.springframework.boot.json.JsonWriter;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON license-batch writes for scripts and schedulers ({@code --json}), with Spring Boot's JSON writer:
 * objects are maps in the order their fields are given, times are ISO-8601 local times to the millisecond.
 */
public final class Json {

    private static final JsonWriter<Object> JSON = JsonWriter.standard().withNewLineAtEnd();

    private Json() {
    }

    /** An object of these names and values, in this order. */
    public static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return json;
    }

    /** A value of maps, lists, strings, numbers and booleans as JSON, on one line, with a line end. */
    public static String write(Object value) {
        return JSON.writeToString(value);
    }

    public static String time(LocalDateTime time) {
        return time == null ? null : time.withNano(time.getNano() / 1_000_000 * 1_000_000).toString();
    }
}
