package io.sightline.shared.result;

import io.sightline.shared.connector.ColumnMeta;
import java.util.List;

/** What a stored result is, without its rows: typed columns, rows kept, and whether a run limit cut it. */
public record ResultHeader(List<ColumnMeta> columns, long rowCount, boolean truncated, String truncatedReason) {}
