package io.sightline.connector.postgres;

import io.sightline.shared.connector.DatasourceSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The COPY read path's connections (pgjdbc, blocking: used on worker threads only), pooled per datasource like the
 * cursor path's: at most {@code max_concurrency} idle ones are kept, each for at most {@link #IDLE_MS}; rebuilt when the
 * datasource's settings change. A connection goes back only reset and out of any transaction ({@link CopyExecution});
 * one in doubt is closed instead.
 *
 * <p>Sessions: {@code application_name = sightline-runner} until a run tags its transaction, DateStyle ISO and
 * extra_float_digits 3 (pgjdbc's startup; what {@link CopyTextRows} needs), no server-side prepared statements
 * ({@code prepareThreshold=0}: {@code DISCARD ALL} would drop them under the driver). pgjdbc also sends the JVM's time
 * zone at startup, which is not the datasource's: every run sets the datasource's own for its transaction
 * ({@link CopyExecution}).
 */
final class CopyConnections {
  /** How long an idle connection is kept. */
  static final long IDLE_MS = 60_000;

  private record Idle(Connection conn, long since) {}

  private static final class Entry {
    final int settingsHash;
    final PGSimpleDataSource source;
    final Deque<Idle> idle = new ArrayDeque<>();

    Entry(int settingsHash, PGSimpleDataSource source) {
      this.settingsHash = settingsHash;
      this.source = source;
    }
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final long idleMs;
  private volatile boolean closed;

  CopyConnections() {
    this(IDLE_MS);
  }

  CopyConnections(long idleMs) {
    this.idleMs = idleMs;
  }
  /**
   * Closes connections idle for longer than {@link #IDLE_MS}, also of datasources no run uses any more; started with
   * the first connection.
   */
  private ScheduledExecutorService reaper;

  private synchronized void startReaper() {
    if (reaper == null && !closed) {
      reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sightline-copy-idle");
        t.setDaemon(true);
        return t;
      });
      reaper.scheduleWithFixedDelay(this::closeExpired, idleMs / 2, idleMs / 2, TimeUnit.MILLISECONDS);
    }
  }

  private void closeExpired() {
    long now = System.currentTimeMillis();
    List<Connection> expired = new ArrayList<>();
    for (Entry entry : entries.values()) {
      synchronized (entry) {
        entry.idle.removeIf(i -> now - i.since() >= idleMs && expired.add(i.conn()));
      }
    }
    expired.forEach(CopyConnections::closeQuietly);
  }

  /** A connection to {@code ds}: an idle one if there is one (checked alive), else a new one. Blocking. */
  Connection borrow(DatasourceSpec ds) throws SQLException {
    startReaper();
    Entry entry = entry(ds);
    long now = System.currentTimeMillis();
    while (true) {
      Idle idle;
      synchronized (entry) {
        idle = entry.idle.pollFirst();
      }
      if (idle == null) {
        break;
      }
      if (now - idle.since() < idleMs && !idle.conn().isClosed()) {
        return idle.conn();
      }
      closeQuietly(idle.conn());
    }
    return entry.source.getConnection();
  }

  /** Takes back a connection that is out of any transaction and reset; closes it when there is no room for it. */
  void giveBack(DatasourceSpec ds, Connection conn) {
    Entry entry = entries.get(ds.id());
    List<Connection> toClose = new ArrayList<>();
    if (entry == null || closed || entry.settingsHash != DatasourcePools.settingsHash(ds)) {
      toClose.add(conn);
    } else {
      long now = System.currentTimeMillis();
      synchronized (entry) {
        entry.idle.removeIf(i -> now - i.since() >= idleMs && toClose.add(i.conn()));
        if (entry.idle.size() < ds.maxConcurrency()) {
          entry.idle.addFirst(new Idle(conn, now));
        } else {
          toClose.add(conn);
        }
      }
    }
    toClose.forEach(CopyConnections::closeQuietly);
  }

  /** Closes every idle connection (the runner stops); a run's connection is closed as it comes back. Blocking. */
  void closeAll() {
    synchronized (this) {
      closed = true;
      if (reaper != null) {
        reaper.shutdownNow();
      }
    }
    for (Entry entry : entries.values()) {
      synchronized (entry) {
        entry.idle.forEach(i -> closeQuietly(i.conn()));
        entry.idle.clear();
      }
    }
    entries.clear();
  }

  static void closeQuietly(Connection conn) {
    try {
      conn.close();
    } catch (SQLException | RuntimeException ignored) {
      // closing: nothing to do about it
    }
  }

  private Entry entry(DatasourceSpec ds) {
    int hash = DatasourcePools.settingsHash(ds);
    return entries.compute(ds.id(), (id, current) -> {
      if (current != null && current.settingsHash == hash) {
        return current;
      }
      if (current != null) {
        synchronized (current) {
          current.idle.forEach(i -> closeQuietly(i.conn()));
          current.idle.clear();
        }
      }
      return new Entry(hash, source(ds));
    });
  }

  private static PGSimpleDataSource source(DatasourceSpec ds) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {ds.host()});
    source.setPortNumbers(new int[] {ds.port()});
    source.setDatabaseName(ds.database());
    source.setUser(ds.user());
    source.setPassword(ds.password().value());
    source.setApplicationName("sightline-runner");
    // in the startup packet, where DISCARD ALL finds it again: pgjdbc sends it with a SET after connecting (whose
    // reset value is '') unless told the server is 9.0 or later
    source.setAssumeMinServerVersion("9.0");
    source.setConnectTimeout((int) Math.max(1, DatasourcePools.CONNECT_TIMEOUT_MS / 1000));
    source.setLoginTimeout((int) Math.max(1, DatasourcePools.CONNECT_TIMEOUT_MS / 1000));
    source.setTcpKeepAlive(true);
    source.setPrepareThreshold(0);
    source.setSslMode(ds.sslMode() == null ? "prefer" : ds.sslMode());
    if (ds.searchPath() != null && !ds.searchPath().isBlank()) {
      // the startup packet's options: a backslash escapes a space or a backslash
      source.setOptions("-c search_path=" + ds.searchPath().replace("\\", "\\\\").replace(" ", "\\ "));
    }
    return source;
  }
}
