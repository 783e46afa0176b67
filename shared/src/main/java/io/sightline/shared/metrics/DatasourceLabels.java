package io.sightline.shared.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code datasource} label of a process's meters: the datasource's id (stable across renames, unique across orgs,
 * unlike its name), for at most {@link #MAX} datasources per process; any further datasource is labelled
 * {@link #OTHER}. Datasources are created by admins and bounded per install, but an install may have many: the cap
 * keeps one process's series bounded whatever happens (docs/operations.md, label cardinality).
 */
public final class DatasourceLabels {
  /** Distinct datasource ids one process labels its meters with. */
  public static final int MAX = 200;
  /** The label of every datasource beyond {@link #MAX}. */
  public static final String OTHER = "other";

  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final int max;

  public DatasourceLabels() {
    this(MAX);
  }

  DatasourceLabels(int max) {
    this.max = max;
  }

  /** The label for {@code datasourceId}: the id itself while under the cap (or already labelled), else "other". */
  public String of(String datasourceId) {
    if (datasourceId == null) {
      return OTHER;
    }
    if (known.contains(datasourceId)) {
      return datasourceId;
    }
    synchronized (known) {
      if (known.size() < max) {
        known.add(datasourceId);
        return datasourceId;
      }
    }
    return known.contains(datasourceId) ? datasourceId : OTHER;
  }
}
