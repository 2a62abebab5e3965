package io.dharma.logging;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.mask.MaskingJsonGenerator;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class RedactingMaskerTest {
    private final RedactingMasker masker = new RedactingMasker();

    @Test
    void sensitiveFieldsAreMaskedWholeIncludingNestedObjects() throws IOException {
        String json = write(generator -> {
            generator.writeStringField("user", "bob");
            generator.writeStringField("password", "hunter2");
            generator.writeObjectFieldStart("credentials");
            generator.writeStringField("pin", "1234");
            generator.writeEndObject();
            generator.writeNumberField("apiKey", 42);
        });
        assertThat(json, is("{\"user\":\"bob\",\"password\":\"[REDACTED]\",\"credentials\":\"[REDACTED]\","
                                    + "\"apiKey\":\"[REDACTED]\"}"));
    }

    @Test
    void stringValuesAreRedacted() throws IOException {
        String json = write(generator -> generator.writeStringField("message", "login password=hunter2 card 4111111111111111"));
        assertThat(json, is("{\"message\":\"login password=[REDACTED] card [REDACTED]\"}"));
    }

    @Test
    void cardNumbersWrittenAsNumbersAreMasked() throws IOException {
        String json = write(generator -> {
            generator.writeNumberField("pan", 4111111111111111L);
            generator.writeNumberField("orderId", 4111111111111112L);
            generator.writeNumberField("count", 3);
        });
        assertThat(json, is("{\"pan\":\"[REDACTED]\",\"orderId\":4111111111111112,\"count\":3}"));
    }

    private String write(JsonWriter writer) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = new MaskingJsonGenerator(new JsonFactory().createGenerator(out),
                                                                List.of(masker), List.of(masker))) {
            generator.writeStartObject();
            writer.write(generator);
            generator.writeEndObject();
        }
        return out.toString();
    }

    private interface JsonWriter {
        void write(JsonGenerator generator) throws IOException;
    }
}
