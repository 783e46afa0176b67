package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * A slice of a stored result.
 *
 * @param offset the first row of the page (rows are numbered from 0)
 * @param totalRows the rows the result holds
 * @param rowsJson a JSON array of row arrays, {@code [[...],[...]]}, made of the stored JSON lines as they are
 */
public record ResultPage(List<ColumnMeta> columns, long offset, long totalRows, boolean truncated,
    String truncatedReason, Buffer rowsJson) {}
