package io.dharma.logging;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;

/**
 * Reads the name and value of logstash-logback-encoder's structured arguments ({@code StructuredArguments.kv(..)})
 * when that library is on the class path, so lines logged with it keep their fields. Nothing here needs the library
 * (or Jackson) at run time: without it no argument is one of its fields.
 */
final class LogstashArguments {
    private static final String FIELD_TYPE = "net.logstash.logback.marker.SingleFieldAppendingMarker";
    private static final @Nullable Class<?> TYPE;
    private static final @Nullable MethodHandle NAME;
    private static final @Nullable MethodHandle VALUE;

    static {
        Class<?> type = null;
        MethodHandle name = null;
        MethodHandle value = null;
        try {
            type = Class.forName(FIELD_TYPE, false, LogstashArguments.class.getClassLoader());
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            name = lookup.findVirtual(type, "getFieldName", MethodType.methodType(String.class));
            var getter = type.getDeclaredMethod("getFieldValue");
            getter.setAccessible(true); // protected in the library; the value is what kv(..) was given
            value = lookup.unreflect(getter);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            type = null;
        }
        TYPE = type;
        NAME = name;
        VALUE = value;
    }

    private LogstashArguments() {
    }

    static boolean isField(@Nullable Object argument) {
        return TYPE != null && TYPE.isInstance(argument);
    }

    static String name(Object field) {
        try {
            return (String) NAME.invoke(field);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot read a logstash structured argument", e);
        }
    }

    static @Nullable Object value(Object field) {
        try {
            return VALUE.invoke(field);
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot read a logstash structured argument", e);
        }
    }
}
