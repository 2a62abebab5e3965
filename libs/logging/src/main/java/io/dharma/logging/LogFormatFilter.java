package io.dharma.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Logback wiring for a service's own {@code logback.xml}: lets events through only while its appender's format
 * ({@code json} or {@code text}) is the active one. Both appenders are configured, and exactly one writes; the
 * active format comes from the environment ({@code LOGGING_FORMAT}) at startup and from
 * {@link Logging#configure} afterwards.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {
    private LogFormat format = LogFormat.JSON;

    /**
     * Creates the filter; logback instantiates it by class name.
     */
    public LogFormatFilter() {
    }

    /**
     * Sets the format of the appender this filter guards.
     *
     * @param format {@code json} or {@code text}
     */
    public void setFormat(String format) {
        LogFormat.parse(format).ifPresentOrElse(f -> this.format = f,
                                                () -> addError("Unknown log format '" + format + "', use json or text"));
    }

    /**
     * Accepts (neutrally) the event if this appender's format is active, otherwise denies it.
     *
     * @param event logging event
     * @return {@link FilterReply#NEUTRAL} or {@link FilterReply#DENY}
     */
    @Override
    public FilterReply decide(ILoggingEvent event) {
        return LogFormat.active() == format ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
