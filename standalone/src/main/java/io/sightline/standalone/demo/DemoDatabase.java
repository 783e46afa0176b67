package io.sightline.standalone.demo;

import io.sightline.shared.db.EmbeddedDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;

/**
 * STAND-IN for the demo database generator (the real one comes from branch wip/demo-data and replaces this file at
 * merge). It honours the same API and contract: creates database {@value #DATABASE} in the embedded Postgres with the
 * tables of {@code demo/schema.sql}, fills them with a few hundred deterministic rows (seeded) ending at {@code anchor},
 * creates the role {@value #ROLE} (SELECT on every table, EXECUTE on {@code demo.tick()}) and {@code demo.tick()}, a
 * SECURITY DEFINER function that appends one outage and a few orders per elapsed minute (at most 60 at once).
 * Blocking: call it on a worker thread.
 */
public final class DemoDatabase {
  /** Where a demo datasource connects: the embedded server, the demo database, the reader role and its password. */
  public record Login(String host, int port, String database, String user, String password) {}

  public static final long SEED = 20_261_203L;
  public static final String DATABASE = "sightline_demo";
  public static final String ROLE = "sightline_demo_reader";

  private DemoDatabase() {}

  /** Creates (or re-creates) the demo database from {@code seed}, its history ending at {@code anchor}. */
  public static Login create(EmbeddedDatabase postgres, long seed, Instant anchor) {
    drop(postgres);
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    try (Connection admin = connect(postgres, "postgres"); Statement st = admin.createStatement()) {
      st.execute("create database " + DATABASE);
      st.execute("create role " + ROLE + " login password '" + password + "'");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the demo database: " + e.getMessage(), e);
    }
    try (Connection c = connect(postgres, DATABASE); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute(resource("/demo/schema.sql"));
      try (PreparedStatement seedIt = c.prepareStatement("select setseed(?)")) {
        seedIt.setDouble(1, (seed % 1_000_000) / 1_000_000.0);
        seedIt.execute();
      }
      try (PreparedStatement fill = c.prepareStatement(FILL)) {
        fill.setObject(1, java.time.OffsetDateTime.ofInstant(anchor, java.time.ZoneOffset.UTC));
        fill.execute();
      }
      st.execute(TICK);
      st.execute("grant connect on database " + DATABASE + " to " + ROLE);
      st.execute("grant usage on schema ohub, trad, demo to " + ROLE);
      st.execute("grant select on all tables in schema ohub, trad, demo to " + ROLE);
      st.execute("revoke all on function demo.tick() from public");
      st.execute("grant execute on function demo.tick() to " + ROLE);
      c.commit();
    } catch (SQLException e) {
      drop(postgres);
      throw new IllegalStateException("cannot fill the demo database: " + e.getMessage(), e);
    }
    return new Login("127.0.0.1", postgres.port(), DATABASE, ROLE, password);
  }

  /** Drops the demo database (closing its sessions) and its role; nothing to do when they do not exist. */
  public static void drop(EmbeddedDatabase postgres) {
    try (Connection admin = connect(postgres, "postgres"); Statement st = admin.createStatement()) {
      st.execute("drop database if exists " + DATABASE + " with (force)");
      st.execute("drop role if exists " + ROLE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the demo database: " + e.getMessage(), e);
    }
  }

  /** Whether the demo database exists (tests). */
  public static boolean exists(EmbeddedDatabase postgres) {
    try (Connection admin = connect(postgres, "postgres"); Statement st = admin.createStatement();
        var rs = st.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
      return rs.next();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Connection connect(EmbeddedDatabase postgres, String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database,
        EmbeddedDatabase.USER, "");
  }

  private static String resource(String path) {
    try (InputStream in = DemoDatabase.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String FILL = """
      with anchor as (select ?::timestamptz as t)
      , p as (insert into ohub.provinces (code, name, timezone) values
          ('AB','Alberta','America/Edmonton'), ('BC','British Columbia','America/Vancouver'),
          ('MB','Manitoba','America/Winnipeg'), ('NB','New Brunswick','America/Moncton'),
          ('NL','Newfoundland and Labrador','America/St_Johns'), ('NS','Nova Scotia','America/Halifax'),
          ('NT','Northwest Territories','America/Yellowknife'), ('NU','Nunavut','America/Iqaluit'),
          ('ON','Ontario','America/Toronto'), ('PE','Prince Edward Island','America/Halifax'),
          ('QC','Quebec','America/Toronto'), ('SK','Saskatchewan','America/Regina'),
          ('YT','Yukon','America/Whitehorse') returning code)
      , u as (insert into ohub.utilities (id, name, province)
          select row_number() over (order by code), code || ' Light & Power (stand-in)', code from p returning id, province)
      , o as (insert into ohub.outages (id, utility_id, province, started_at, restored_at, customers, cause,
                                        crew_status, storm_id)
          select g, u.id, u.province, s.started,
                 case when g % 9 = 0 then null else s.started + (interval '1 minute' * (20 + (random() * 600)::int)) end,
                 1 + (random() * 4000)::int,
                 (array['weather','equipment','tree contact','animal','planned','unknown'])[1 + g % 6],
                 case when g % 9 = 0 then (array['unassigned','dispatched','on site'])[1 + g % 3] else 'restored' end,
                 case when g % 5 = 0 then g / 50 end
          from generate_series(1, 600) g
          join u on u.id = 1 + g % 13
          cross join anchor
          cross join lateral (select anchor.t - interval '1 minute' * (g * 23 % 10080) as started) s
          returning 1)
      , t as (insert into trad.orders (id, ts, desk, venue, symbol, side, qty, filled_qty, px, status, latency_us,
                                       notional)
          select g, anchor.t - interval '1 second' * (g * 37 % 86400), d.desk, v.venue,
                 (array['RY','TD','SHOP','ENB','CNR','BNS'])[1 + g % 6], case when g % 2 = 0 then 'B' else 'S' end,
                 q.qty, f.filled, x.px,
                 case when g % 23 = 0 then 'rejected' when f.filled = q.qty then 'filled'
                      when f.filled > 0 then 'partial' else 'cancelled' end,
                 100 + (random() * 5000)::int, f.filled * x.px
          from generate_series(1, 900) g
          cross join anchor
          cross join lateral (select (array['Equities Cash','ETF','Options MM','Futures'])[1 + g % 4] as desk) d
          cross join lateral (select (array['TSX','NYSE','NASDAQ','CBOE','NEO','ALPHA'])[1 + g % 6] as venue) v
          cross join lateral (select 100 * (1 + (random() * 20)::int) as qty) q
          cross join lateral (select case when g % 23 = 0 then 0 when g % 7 = 0 then q.qty / 2 else q.qty end
                                as filled) f
          cross join lateral (select round((20 + random() * 180)::numeric, 2) as px) x
          returning 1)
      select (select count(*) from o), (select count(*) from t)""";

  private static final String TICK = """
      create function demo.tick() returns int language plpgsql security definer set search_path = pg_catalog as $$
      declare
        last_minute timestamptz;
        m timestamptz;
        added int := 0;
      begin
        perform pg_advisory_xact_lock(hashtext('sightline.demo.tick'));
        select coalesce(max(minute), date_trunc('minute', now()) - interval '1 minute') into last_minute
          from demo.ticks;
        for m in select generate_series(greatest(last_minute + interval '1 minute',
                                                 date_trunc('minute', now()) - interval '59 minutes'),
                                        date_trunc('minute', now()), interval '1 minute') loop
          insert into ohub.outages (id, utility_id, province, started_at, restored_at, customers, cause, crew_status)
            select (select coalesce(max(id), 0) from ohub.outages) + 1, u.id, u.province, m, null,
                   50 + (random() * 500)::int, 'weather', 'unassigned'
            from (select id, province from ohub.utilities order by random() limit 1) u;
          insert into trad.orders (id, ts, desk, venue, symbol, side, qty, filled_qty, px, status, latency_us, notional)
            select (select coalesce(max(id), 0) from trad.orders) + g, m + interval '1 second' * g,
                   (array['Equities Cash','ETF','Options MM','Futures'])[1 + g % 4],
                   (array['TSX','NYSE','NASDAQ','CBOE','NEO','ALPHA'])[1 + g % 6], 'RY', 'B', 100, 100, 100, 'filled',
                   200 + (random() * 3000)::int, 10000
            from generate_series(1, 6) g;
          insert into demo.ticks (minute, outages, orders) values (m, 1, 6);
          added := added + 1;
        end loop;
        return added;
      end $$""";
}
