package io.dharma.data;

import java.util.List;
import java.util.Map;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

/**
 * An {@link ApiException} translated from a SQL failure that keeps the failure as its cause, so the errors filter logs
 * the SQL state and stack trace of a 5xx and a repository can still inspect the driver exception.
 */
final class TranslatedException extends ApiException {
    TranslatedException(ErrorCode code, String detail, Map<String, String> headers, Throwable failure) {
        super(code, detail, List.of(), headers, failure);
    }
}
