package io.dharma.data;

import java.util.List;
import java.util.Map;

import io.dharma.errors.ApiException;
import io.dharma.errors.ErrorCode;

/**
 * An {@link ApiException} translated from a SQL failure that keeps the failure as its cause, so the errors filter logs
 * the SQL state and stack trace of a 5xx and a repository can still inspect the driver exception.
 * <p>
 * {@code ApiException} fixes its cause to none (it is built without a writable cause), hence the override.
 */
final class TranslatedException extends ApiException {
    private final Throwable failure;

    TranslatedException(ErrorCode code, String detail, Map<String, String> headers, Throwable failure) {
        super(code, detail, List.of(), headers);
        this.failure = failure;
    }

    @Override
    public synchronized Throwable getCause() {
        return failure;
    }
}
