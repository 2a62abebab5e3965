package io.dharma.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.report.ValidationReport.Message;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;
import io.dharma.errors.FieldError;

/**
 * Turns the validator's report on a request into the problem the client gets: 415 for a content type the operation
 * does not take, 400 MALFORMED_JSON for a missing or unparsable body (or one of the wrong JSON type altogether), else
 * 400 VALIDATION_FAILED with one {@link FieldError} per broken rule. Fields are named by the convention of
 * {@code docs/api.md}: a JSON Pointer into the body ({@code /resources/0/type}), {@code <in>/<name>} for a parameter
 * ({@code query/limit}, {@code path/id}, {@code header/If-Match}).
 */
final class Rejections {
    private static final String BODY_SCHEMA = "validation.request.body.schema.";
    private static final String PARAMETER = "validation.request.parameter.";
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern PATH_PREFIX = Pattern.compile("^\\[Path '[^']*'] ");
    private static final Pattern ALLOWED_TYPES = Pattern.compile("allowed: \\[(.*)]\\)");
    private static final Pattern ENUM = Pattern.compile("possible values: \\[(.*)]\\)");
    private static final Pattern MEDIA_TYPES = Pattern.compile("Must be one of: \\[(.*)]");
    private static final Pattern CONTENT_TYPE = Pattern.compile("header '\\[?([^'\\]]*)]?'");
    private static final Pattern MAX_LENGTH = Pattern.compile("maximum allowed: (\\d+)");
    private static final Pattern MIN_LENGTH = Pattern.compile("required minimum: (\\d+)");
    private static final Pattern MAXIMUM = Pattern.compile("\\(maximum: ([^,]+),");
    private static final Pattern MINIMUM = Pattern.compile("\\(minimum: ([^,]+),");
    private static final Pattern MAX_ITEMS = Pattern.compile("at most (\\d+) elements");
    private static final Pattern MIN_ITEMS = Pattern.compile("at least (\\d+) elements");

    private Rejections() {
    }

    /**
     * The rejection for a request's report.
     *
     * @param report    the validator's report
     * @param operation the operation the request is for
     * @return the problem to answer, empty if the request is valid
     */
    static Optional<ApiException> of(ValidationReport report, Contract.Operation operation) {
        List<FieldError> fields = new ArrayList<>();
        ApiException body = null;
        for (Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            String key = message.getKey();
            if (key.startsWith("validation.request.contentType.")) {
                return Optional.of(ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request body must be "
                        + capture(MEDIA_TYPES, message.getMessage(), "another type").replace(",", " or") + ", got "
                        + capture(CONTENT_TYPE, message.getMessage(), "none")));
            }
            if (key.equals("validation.request.body.missing")) {
                body = ApiException.of(ErrorCode.MALFORMED_JSON, "A JSON body is required");
            } else if (key.endsWith(".schema.invalidJson")) {
                body = ApiException.of(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON of the expected shape");
            } else if (key.equals(BODY_SCHEMA + "type") && "/".equals(instance(message))) {
                body = ApiException.of(ErrorCode.MALFORMED_JSON, "The body must be a JSON " + list(ALLOWED_TYPES, message));
            } else if (key.equals("validation.request.parameter.query.unexpected")) {
                if (!operation.allowUnknownQuery()) {
                    fields.add(new FieldError(parameter(message), "is not a parameter of " + operation.method().text() + " "
                            + operation.template()));
                }
            } else if (key.startsWith(BODY_SCHEMA)) {
                fields.addAll(bodyErrors(key.substring(BODY_SCHEMA.length()), message));
            } else if (key.startsWith(PARAMETER)) {
                fields.add(new FieldError(parameter(message), parameterMessage(key, message)));
            } else if (key.equals("validation.request.body.unexpected")) {
                fields.add(new FieldError("body", "must be empty: " + operation.method().text() + " "
                        + operation.template() + " takes no body"));
            } else {
                fields.add(new FieldError("request", message.getMessage()));
            }
        }
        if (body != null) {
            return Optional.of(body);
        }
        return fields.isEmpty() ? Optional.empty() : Optional.of(ApiException.validation(fields));
    }

    /** One line per violation, for logs and the 500 a broken response becomes: {@code key: message}. */
    static List<String> describe(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + ": " + m.getMessage())
                .toList();
    }

    private static List<FieldError> bodyErrors(String keyword, Message message) {
        String at = instance(message);
        String text = message.getMessage();
        return switch (keyword) {
            case "required" -> names(text).stream().map(name -> new FieldError(child(at, name), "is required")).toList();
            case "additionalProperties" -> names(text).stream()
                    .map(name -> new FieldError(child(at, name), "is not allowed")).toList();
            default -> List.of(new FieldError(at, schemaMessage(keyword, message)));
        };
    }

    private static String schemaMessage(String keyword, Message message) {
        String text = message.getMessage();
        String base = keyword.contains(".") ? keyword.substring(0, keyword.indexOf('.')) : keyword;
        return switch (base) {
            case "type" -> "must be of type " + list(ALLOWED_TYPES, message);
            case "enum" -> "must be one of " + list(ENUM, message);
            case "maxLength" -> "must be at most " + capture(MAX_LENGTH, text, "the limit") + " characters";
            case "minLength" -> "must be at least " + capture(MIN_LENGTH, text, "the limit") + " characters";
            case "maximum" -> "must be at most " + capture(MAXIMUM, text, "the limit");
            case "minimum" -> "must be at least " + capture(MINIMUM, text, "the limit");
            case "maxItems" -> "must have at most " + capture(MAX_ITEMS, text, "the limit") + " items";
            case "minItems" -> "must have at least " + capture(MIN_ITEMS, text, "the limit") + " items";
            case "pattern" -> "must match " + firstQuoted(text);
            case "format" -> keyword.endsWith(".uuid") ? "must be a UUID"
                    : "must be a valid " + keyword.substring(keyword.indexOf('.') + 1);
            default -> PATH_PREFIX.matcher(text).replaceFirst("");
        };
    }

    private static String parameterMessage(String key, Message message) {
        if (key.endsWith(".missing")) {
            return "is required";
        }
        if (key.equals("validation.request.parameter.enum.invalid")) {
            return "must be one of " + message.getMessage().replaceAll("(?s).*Allowed values are <(.*)>\\.?$", "$1");
        }
        String schema = PARAMETER + "schema.";
        return key.startsWith(schema) ? schemaMessage(key.substring(schema.length()), message)
                : PATH_PREFIX.matcher(message.getMessage()).replaceFirst("");
    }

    private static String parameter(Message message) {
        return message.getContext()
                .flatMap(ValidationReport.MessageContext::getParameter)
                .map(p -> p.getIn() + "/" + p.getName())
                .orElse("request");
    }

    private static String instance(Message message) {
        return message.getContext()
                .flatMap(ValidationReport.MessageContext::getPointers)
                .map(ValidationReport.MessageContext.Pointers::getInstance)
                .filter(pointer -> !pointer.isEmpty())
                .orElse("/");
    }

    /** The pointer of member {@code name} of the object at {@code parent} (RFC 6901 escaping). */
    private static String child(String parent, String name) {
        String escaped = name.replace("~", "~0").replace("/", "~1");
        return parent.equals("/") ? "/" + escaped : parent + "/" + escaped;
    }

    /** The quoted names in a message such as {@code object has missing required properties (["size","region"])}. */
    private static List<String> names(String text) {
        int open = text.lastIndexOf('[');
        List<String> names = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(open < 0 ? text : text.substring(open));
        while (quoted.find()) {
            names.add(quoted.group(1));
        }
        return names;
    }

    private static String list(Pattern pattern, Message message) {
        Matcher matcher = pattern.matcher(message.getMessage());
        return matcher.find() ? matcher.group(1).replace("\"", "").replace(",", ", ") : "another type";
    }

    private static String capture(Pattern pattern, String text, String fallback) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : fallback;
    }

    private static String firstQuoted(String text) {
        Matcher quoted = QUOTED.matcher(text);
        return quoted.find() ? quoted.group(1) : "the pattern";
    }
}
