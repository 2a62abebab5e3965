package io.dharma.logging;

import ch.qos.logback.core.Context;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;

/**
 * The JSON encoder and masking that the former shipped {@code logback.xml} configured, kept as the reference the
 * JSON line encoder is compared with (fields and values) and measured against.
 */
final class FormerLogstashEncoder {
    private FormerLogstashEncoder() {
    }

    static LogstashEncoder create(Context context) {
        LogstashEncoder logstash = new LogstashEncoder();
        logstash.setContext(context);
        logstash.setTimeZone("UTC");
        logstash.getFieldNames().setTimestamp("timestamp");
        logstash.getFieldNames().setLogger("logger");
        logstash.getFieldNames().setThread("thread");
        logstash.getFieldNames().setVersion("[ignore]");
        logstash.getFieldNames().setLevelValue("[ignore]");
        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.addValueMasker(new RedactingMasker());
        masking.addFieldMasker(new RedactingMasker());
        masking.start();
        logstash.setJsonGeneratorDecorator(masking);
        logstash.start();
        return logstash;
    }
}
