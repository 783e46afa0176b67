-- The demo database's generator, run by DemoDatabase after schema.sql in one session as the database owner.
-- ${seed}, ${anchor} (an ISO-8601 instant) and ${scale} (1 = full size) are replaced before it runs.
-- Every random number is a hash of (seed, stream, key) (demo.u), never random(): the rows depend only on the seed, the
-- anchor and the scale, not on the order Postgres produces them in. Rows are produced per "cell" (a province and an
-- hour, a storm's hour over a province, a minute of trading) holding how many rows it expands to; the functions
-- demo.outage_rows and demo.order_rows expand cells into rows, the same for the bulk load and for demo.tick().
-- Functions that read local times are STABLE, not IMMUTABLE, so Postgres inlines them; every session that runs them
-- (DemoDatabase's, demo.tick()) sets timezone = 'UTC', which makes them deterministic.

-- The generator's parameters (one row) and its reference data.
create table demo.generator (
  seed          bigint primary key,
  anchor        timestamptz not null,        -- the install time: history ends at its minute, ticks start after it
  scale         float8 not null,             -- 1 = about 500,000 outages and 2,000,000 orders
  outage_rate   float8 not null default 0,   -- background outages per weight unit (set by the bulk load)
  order_base    float8 not null              -- orders per minute in the quiet middle of a trading day
);
insert into demo.generator (seed, anchor, scale, order_base)
  values (${seed}, date_trunc('minute', timestamptz '${anchor}'), ${scale}, 204 * ${scale});

-- Provinces: weight ~ share of the country's customers (floored so the territories see outages too).
create table demo.regions (
  code text primary key,
  weight float8 not null,
  first_utility int not null,
  utilities int not null
);

insert into ohub.provinces (code, name, timezone) values
  ('AB', 'Alberta', 'America/Edmonton'),
  ('BC', 'British Columbia', 'America/Vancouver'),
  ('MB', 'Manitoba', 'America/Winnipeg'),
  ('NB', 'New Brunswick', 'America/Moncton'),
  ('NL', 'Newfoundland and Labrador', 'America/St_Johns'),
  ('NS', 'Nova Scotia', 'America/Halifax'),
  ('NT', 'Northwest Territories', 'America/Yellowknife'),
  ('NU', 'Nunavut', 'America/Iqaluit'),
  ('ON', 'Ontario', 'America/Toronto'),
  ('PE', 'Prince Edward Island', 'America/Halifax'),
  ('QC', 'Quebec', 'America/Toronto'),
  ('SK', 'Saskatchewan', 'America/Regina'),
  ('YT', 'Yukon', 'America/Whitehorse');

insert into ohub.utilities (id, name, province)
select row_number() over (order by province, name), name, province from (values
  ('AB', 'Prairie Light & Power'), ('AB', 'Chinook Electric'), ('AB', 'Bow River Distribution'),
  ('AB', 'Foothills Rural Power'), ('AB', 'Athabasca Grid Co-op'),
  ('BC', 'Coastal Hydro Networks'), ('BC', 'Fraser Valley Power'), ('BC', 'Kootenay Light'),
  ('BC', 'Island Electric Co-op'), ('BC', 'Cariboo Power & Light'),
  ('MB', 'Red River Hydro'), ('MB', 'Assiniboine Power'),
  ('NB', 'Fundy Power'), ('NB', 'Miramichi Electric'),
  ('NL', 'Avalon Light & Power'), ('NL', 'Labrador Grid'),
  ('NS', 'Bluenose Electric'), ('NS', 'Cape Breton Power Co-op'),
  ('NT', 'Great Slave Power'),
  ('NU', 'Qikiqtani Energy'),
  ('ON', 'Lakeshore Hydro'), ('ON', 'Huronia Power'), ('ON', 'Ottawa Valley Electric'),
  ('ON', 'Niagara Peninsula Energy'), ('ON', 'Muskoka Light & Power'), ('ON', 'Golden Horseshoe Hydro'),
  ('ON', 'Thames Valley Power'), ('ON', 'Northern Shield Electric'), ('ON', 'Kawartha Grid'),
  ('QC', 'Hydro-Laurentides'), ('QC', 'Énergie Saguenay'), ('QC', 'Montérégie Électrique'),
  ('QC', 'Gaspésie Lumière'), ('QC', 'Outaouais Power'), ('QC', 'Estrie Énergie'),
  ('PE', 'Island Light Co-op'),
  ('SK', 'Qu''Appelle Power'), ('SK', 'Saskatoon Light Co-op'),
  ('YT', 'Klondike Electric'), ('YT', 'Yukon River Power')
) u (province, name);

insert into demo.regions (code, weight, first_utility, utilities)
select p.code, w.weight, min(u.id), count(u.id)
from ohub.provinces p
join (values ('ON', 38.0), ('QC', 23.0), ('BC', 13.5), ('AB', 11.5), ('MB', 3.6), ('SK', 3.1), ('NS', 2.6),
             ('NB', 2.1), ('NL', 1.4), ('PE', 0.6), ('NT', 0.4), ('YT', 0.4), ('NU', 0.3)) w (code, weight)
  on w.code = p.code
join ohub.utilities u on u.province = p.code
group by p.code, w.weight;

-- 64 random bits from (seed, stream, key): Postgres's seeded 64-bit hash (stable across versions: hash partitioning
-- relies on it). Rows that need many draws split it into four 16-bit uniforms (demo.u16).
create function demo.bits(seed bigint, stream int, key bigint) returns bigint
language sql immutable parallel safe
return hashint8extended(key, seed # (stream::bigint << 48));

-- A uniform number in [0, 1) from (seed, stream, key).
create function demo.u(seed bigint, stream int, key bigint) returns float8
language sql immutable parallel safe
return ((demo.bits(seed, stream, key) >> 11) & 9007199254740991)::float8 / 9007199254740992.0;

-- The i-th (0..3) 16-bit uniform in (0, 1) of 64 random bits.
create function demo.u16(bits bigint, i int) returns float8
language sql immutable parallel safe
return (((bits >> (16 * i)) & 65535)::float8 + 0.5) / 65536.0;

-- A standard normal number (Box-Muller over two streams).
create function demo.normal(seed bigint, stream int, key bigint) returns float8
language sql immutable parallel safe
return sqrt(-2 * ln(1 - demo.u(seed, stream, key))) * cos(2 * pi() * demo.u(seed, stream + 1, key));

-- How busy the grid is: a winter (ice) and a summer (thunderstorm) season (by day of year), and by the local hour of
-- the day a quiet night, an evening peak and a smaller morning one.
create function demo.outage_season(t timestamptz) returns float8
language sql stable parallel safe
return 1 + 0.35 * cos(2 * pi() * (date_part('doy', t) - 20) / 365.25) + 0.3 * cos(2 * pi() * (date_part('doy', t) - 200) / 365.25);

create function demo.outage_daily(local_hour float8) returns float8
language sql immutable parallel safe
return 0.35 + 0.8 * exp(-power(local_hour + 0.5 - 17.5, 2) / 14) + 0.35 * exp(-power(local_hour + 0.5 - 8, 2) / 6);

-- How long an outage lasts, in minutes: log-normal per cause, longer in storms, from a few minutes to five days.
create function demo.outage_minutes(seed bigint, id bigint, cause text, storm_id int) returns float8
language sql stable parallel safe
return least(7200, greatest(4,
  (case cause when 'weather' then 150 when 'equipment' then 100 when 'tree contact' then 170 when 'animal' then 55
              when 'planned' then 180 else 45 end)
  * (case when storm_id is null then 1 else 2.4::float8 end)
  * exp((case cause when 'planned' then 0.3::float8 else 0.95::float8 end) * demo.normal(seed, 20, id))));

-- The crew on an open outage, by its age in minutes.
create function demo.crew_status(seed bigint, id bigint, cause text, age_minutes float8) returns text
language sql stable parallel safe
return case when cause = 'planned' then 'on site'
            when age_minutes < 10 + 30 * demo.u(seed, 22, id) then 'unassigned'
            when age_minutes < 45 + 90 * demo.u(seed, 23, id) then 'dispatched'
            else 'on site' end;

-- Storms: a few a week, their kind by season; each hits a couple of the provinces its kind reaches, for 8 to 48
-- hours. Storm 1 is under way at the anchor, so the demo opens on a storm.
create table demo.storms (
  id         int primary key,
  kind       text not null,
  started_at timestamptz not null,
  hours      int not null,
  provinces  text[] not null,
  outages    float8 not null                -- expected outages over the storm, all provinces
);

insert into demo.storms (id, kind, started_at, hours, provinces, outages)
select s.id, k.kind, s.started_at, s.hours,
       array(select p from unnest(k.reach) with ordinality r (p, i)
             where demo.u(g.seed, 33, s.id * 16 + i) < 0.55 or (i - 1) in (s.id % cardinality(k.reach), (s.id + 1) % cardinality(k.reach))
             order by i),
       g.scale * least(6000, 260 * power(1 - demo.u(g.seed, 34, s.id), -0.6)) * case when s.id = 1 then 2.5 else 1 end
from demo.generator g
cross join lateral (
  select n as id,
         case when n = 1 then g.anchor - interval '9 hours'
              else date_trunc('hour', g.anchor - interval '730 days' + demo.u(g.seed, 30, n) * interval '730 days') end as started_at,
         case when n = 1 then 30 else 8 + floor(40 * power(demo.u(g.seed, 31, n), 2))::int end as hours
  from generate_series(1, 240) n
) s
cross join lateral (
  select case
           when date_part('month', s.started_at) in (12, 1, 2, 3) then case when demo.u(g.seed, 32, s.id) < 0.65 then 'ice storm' else 'blizzard' end
           when date_part('month', s.started_at) in (5, 6, 7) then 'thunderstorm'
           when date_part('month', s.started_at) = 8 then case when demo.u(g.seed, 32, s.id) < 0.25 then 'hurricane' else 'thunderstorm' end
           when date_part('month', s.started_at) in (9, 10) then case when demo.u(g.seed, 32, s.id) < 0.5 then 'hurricane' else 'wind storm' end
           else 'wind storm' end as kind
) c
join (values ('ice storm', array['ON', 'QC', 'NB', 'NS', 'PE', 'NL']),
             ('blizzard', array['AB', 'SK', 'MB', 'NT', 'NU', 'YT']),
             ('thunderstorm', array['AB', 'SK', 'MB', 'ON', 'QC']),
             ('hurricane', array['NS', 'NB', 'PE', 'NL', 'QC']),
             ('wind storm', array['BC', 'AB', 'NS', 'NB', 'NL'])) k (kind, reach) on k.kind = c.kind;

-- Outage cells: n outages starting in [cell_start, cell_start + minutes), of a province, maybe of a storm.
-- as_of is the instant the rows are generated up to (restored_at after it stays null).
create unlogged table demo.outage_cells (
  cell_start timestamptz not null,
  minutes    int not null,
  province   text not null,
  storm_id   int,
  n          int not null,
  id_base    bigint not null,                -- the first row's id
  as_of      timestamptz not null
);

-- The outage cells of [from_t, to_t) (whole minutes): background cells per province and hour (or part of an hour),
-- storm cells per storm, province and hour; n is the expected count rounded up or down at random.
create function demo.outage_cell_counts(from_t timestamptz, to_t timestamptz)
returns table (cell_start timestamptz, minutes int, province text, storm_id int, n int)
language sql stable
as $$
  with hours as materialized (
    select h as cell_start, (date_part('epoch', least(h + interval '1 hour', to_t) - h) / 60)::int as minutes,
           demo.outage_season(h) as season
    from generate_series(from_t, to_t - interval '1 minute', interval '1 hour') h
  ), expected as (
    select l.cell_start, l.minutes, l.code as province, null::int as storm_id,
           g.outage_rate * l.weight * l.season * demo.outage_daily(l.local_hour) * l.minutes / 60 as x
    from (
      select h.cell_start, h.minutes, h.season, r.code, r.weight,
             date_part('hour', h.cell_start at time zone p.timezone) as local_hour
      from hours h cross join demo.regions r join ohub.provinces p on p.code = r.code
      offset 0
    ) l cross join demo.generator g
    union all
    select greatest(h, from_t), (date_part('epoch', least(h + interval '1 hour', to_t) - greatest(h, from_t)) / 60)::int,
           r.code, s.id,
           s.outages * power(r.weight, 0.6) / sum(power(r.weight, 0.6)) over (partition by s.id, h)
             * 2.0 / s.hours * power(sin(pi() * (date_part('epoch', h - s.started_at) / 3600 + 0.5) / s.hours), 2)
             * date_part('epoch', least(h + interval '1 hour', to_t) - greatest(h, from_t)) / 3600
    from demo.storms s
    cross join lateral generate_series(greatest(s.started_at, date_trunc('hour', from_t)),
                                       least(s.started_at + s.hours * interval '1 hour', to_t) - interval '1 minute',
                                       interval '1 hour') h
    join demo.regions r on r.code = any (s.provinces)
    where s.started_at < to_t and s.started_at + s.hours * interval '1 hour' > from_t
  )
  select e.cell_start, e.minutes, e.province, e.storm_id,
         floor(e.x + demo.u(g.seed, 1, (date_part('epoch', e.cell_start)::bigint * 1000 + coalesce(e.storm_id, 0)) * 10000
                                    + ascii(e.province) * 100 + ascii(substr(e.province, 2))))::int
  from expected e cross join demo.generator g
$$;

-- The rows of the outage cells. Each draw is a hash of the row's id, so a row is the same whoever expands it: one hash
-- holds the utility, the start in the cell, the cause and the customers (16 bits each).
create function demo.outage_rows(part int, parts int) returns setof ohub.outages
language sql stable
as $$
select id, utility_id, province, started_at, case when ends_at <= as_of then ends_at end, customers, cause,
       case when ends_at <= as_of then 'restored'
            else demo.crew_status(seed, id, cause, date_part('epoch', as_of - started_at) / 60) end,
       storm_id
from (
  select id, utility_id, province, started_at, customers, cause, storm_id, as_of, seed,
         started_at + demo.outage_minutes(seed, id, cause, storm_id) * interval '1 minute' as ends_at
  from (
    select id, utility_id, province, started_at, storm_id, as_of, seed,
           case when storm_id is not null then
                  case when u_cause < 0.66 then 'weather' when u_cause < 0.9 then 'tree contact' else 'equipment' end
                when u_cause < 0.31 then 'equipment'
                when u_cause < 0.47 then 'tree contact'
                when u_cause < 0.62 then 'animal'
                when u_cause < 0.77 then 'weather'
                when u_cause < 0.88 and date_part('isodow', started_at at time zone timezone) < 6
                     and date_part('hour', started_at at time zone timezone) between 8 and 15 then 'planned'
                else 'unknown' end as cause,
           greatest(1, least(case when storm_id is null then 60000 else 150000 end,
             floor(case when storm_id is null then 18 * power(u_customers, -0.87) else 45 * power(u_customers, -0.93) end)))::int
             as customers
    from (
      select id, province, storm_id, as_of, seed, timezone,
             first_utility + floor(demo.u16(h, 0) * utilities)::int as utility_id,
             cell_start + floor(demo.u16(h, 1) * minutes * 60) * interval '1 second' as started_at,
             demo.u16(h, 2) as u_cause,
             demo.u16(h, 3) as u_customers
      from (
        select c.id_base + k - 1 as id, c.province, c.storm_id, c.as_of, c.seed, c.timezone, c.first_utility, c.utilities,
               c.cell_start, c.minutes, demo.bits(c.seed, 10, c.id_base + k) as h
        from (
          select c.cell_start, c.minutes, c.province, c.storm_id, c.n, c.id_base, c.as_of, g.seed, p.timezone,
                 r.first_utility, r.utilities
          from demo.outage_cells c
          cross join demo.generator g
          join demo.regions r on r.code = c.province
          join ohub.provinces p on p.code = c.province
          where c.id_base % parts = part
          offset 0
        ) c
        cross join lateral generate_series(1, c.n) k
        offset 0
      ) hashed
      offset 0
    ) drawn
    offset 0
  ) caused
  offset 0
) timed
$$;

-- Instruments: what the desks trade, where, at what price, and which sessions. rank orders them by popularity;
-- session 0 = regular hours only, 1 = also pre- and post-market (US listings), 2 = around the clock (futures).
create table demo.instruments (
  symbol  text primary key,
  desk    text not null,
  venues  text[] not null,                   -- a venue repeated is chosen more often
  px      float8 not null,
  tick    float8 not null,
  lot     int not null,
  session int not null,
  rank    int not null unique
);
insert into demo.instruments (symbol, desk, venues, px, tick, lot, session, rank)
select symbol, desk, venues, px, tick, lot, session, row_number() over (order by ord) from (values
  (1, 'RY', 'Equities Cash', array['TSX', 'TSX', 'TSX', 'ALPHA', 'NEO'], 142.0, 0.01, 100, 0),
  (2, 'AAPL', 'Equities Cash', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 232.0, 0.01, 100, 1),
  (3, 'SPY', 'ETF', array['NYSE', 'NYSE', 'NASDAQ', 'CBOE'], 598.0, 0.01, 100, 1),
  (4, 'TD', 'Equities Cash', array['TSX', 'TSX', 'TSX', 'ALPHA', 'NEO'], 84.0, 0.01, 100, 0),
  (5, 'NVDA', 'Equities Cash', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 138.0, 0.01, 100, 1),
  (6, 'ES', 'Futures', array['CME'], 6050.0, 0.25, 1, 2),
  (7, 'SHOP', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 152.0, 0.01, 100, 0),
  (8, 'XIU', 'ETF', array['TSX', 'TSX', 'NEO'], 37.0, 0.01, 100, 0),
  (9, 'SPY C600', 'Options MM', array['CBOE'], 4.8, 0.01, 1, 0),
  (10, 'MSFT', 'Equities Cash', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 418.0, 0.01, 100, 1),
  (11, 'ENB', 'Equities Cash', array['TSX', 'TSX', 'TSX', 'ALPHA', 'NEO'], 58.0, 0.01, 100, 0),
  (12, 'QQQ', 'ETF', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 512.0, 0.01, 100, 1),
  (13, 'NQ', 'Futures', array['CME'], 21400.0, 0.25, 1, 2),
  (14, 'CNR', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 168.0, 0.01, 100, 0),
  (15, 'TSLA', 'Equities Cash', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 352.0, 0.01, 100, 1),
  (16, 'QQQ C520', 'Options MM', array['CBOE'], 6.2, 0.01, 1, 0),
  (17, 'BNS', 'Equities Cash', array['TSX', 'TSX', 'TSX', 'ALPHA', 'NEO'], 71.0, 0.01, 100, 0),
  (18, 'AMZN', 'Equities Cash', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 205.0, 0.01, 100, 1),
  (19, 'XIC', 'ETF', array['TSX', 'TSX', 'NEO'], 39.0, 0.01, 100, 0),
  (20, 'CL', 'Futures', array['CME'], 69.0, 0.01, 1, 2),
  (21, 'BMO', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 128.0, 0.01, 100, 0),
  (22, 'JPM', 'Equities Cash', array['NYSE', 'NYSE', 'NASDAQ', 'CBOE'], 240.0, 0.01, 100, 1),
  (23, 'AAPL C235', 'Options MM', array['CBOE'], 3.1, 0.01, 1, 0),
  (24, 'SU', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 54.0, 0.01, 100, 0),
  (25, 'IWM', 'ETF', array['NYSE', 'NYSE', 'NASDAQ', 'CBOE'], 228.0, 0.01, 100, 1),
  (26, 'CNQ', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 46.0, 0.01, 100, 0),
  (27, 'GOOGL', 'Equities Cash', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 176.0, 0.01, 100, 1),
  (28, 'GC', 'Futures', array['CME'], 2650.0, 0.1, 1, 2),
  (29, 'CP', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 107.0, 0.01, 100, 0),
  (30, 'ZSP', 'ETF', array['TSX', 'NEO'], 84.0, 0.01, 100, 0),
  (31, 'TSLA P340', 'Options MM', array['CBOE'], 11.4, 0.01, 1, 0),
  (32, 'META', 'Equities Cash', array['NASDAQ', 'NASDAQ', 'NYSE', 'CBOE'], 590.0, 0.01, 100, 1),
  (33, 'ATD', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 76.0, 0.01, 100, 0),
  (34, 'NVDA C140', 'Options MM', array['CBOE'], 4.4, 0.01, 1, 0),
  (35, 'XOM', 'Equities Cash', array['NYSE', 'NYSE', 'NASDAQ', 'CBOE'], 118.0, 0.01, 100, 1),
  (36, 'BCE', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 33.0, 0.01, 100, 0),
  (37, 'MFC', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 41.0, 0.01, 100, 0),
  (38, 'TRP', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 67.0, 0.01, 100, 0),
  (39, 'NTR', 'Equities Cash', array['TSX', 'TSX', 'ALPHA', 'NEO'], 80.0, 0.01, 100, 0),
  (40, 'SXF', 'Futures', array['CME'], 1450.0, 0.1, 1, 2)
) i (ord, symbol, desk, venues, px, tick, lot, session);

-- A venue's typical latency in microseconds.
create function demo.venue_latency(venue text) returns float8
language sql stable parallel safe
return case venue when 'TSX' then 180 when 'ALPHA' then 210 when 'NEO' then 240 when 'NASDAQ' then 290
                  when 'NYSE' then 320 when 'CBOE' then 350 else 420 end;

-- What an order trades, by session, instrument place and venue place: choice ((session * 40 + k) * 60 + j) is the
-- k-th most popular instrument open in the session (session 0 trades everything, 1 the US listings and futures, 2
-- futures) on its venue number 1 + j * (its venues) / 60 (60 places, so every venue count from 1 to 5 divides them
-- evenly). An order draws k with a skew to the popular ones (demo.order_rows), then joins its choice here: one small
-- hash join instead of per-row array lookups.
create table demo.order_choices (
  choice      int primary key,
  symbol      text not null,
  desk        text not null,
  venue       text not null,
  latency     float8 not null,                 -- the venue's typical latency in microseconds
  px          float8 not null,
  tick        numeric not null,
  tick_f      float8 not null,
  lot         int not null,
  phase       float8 not null,                 -- where the instrument's price cycles start
  reject_4096 int not null                     -- rejects per 4096 orders outside a venue incident
);
insert into demo.order_choices (choice, symbol, desk, venue, latency, px, tick, tick_f, lot, phase, reject_4096)
select (s.session * 40 + i.k) * 60 + j, i.symbol, i.desk, i.venues[1 + j * cardinality(i.venues) / 60],
       demo.venue_latency(i.venues[1 + j * cardinality(i.venues) / 60]), i.px, i.tick::numeric, i.tick, i.lot,
       i.rank / 41.0, case when i.desk = 'Options MM' then 123 else 49 end
from (values (0), (1), (2)) s (session)
cross join lateral (select i.*, (row_number() over (order by i.rank) - 1)::int as k
                      from demo.instruments i where i.session >= s.session) i
cross join generate_series(0, 59) j;

-- How many instruments each session trades (the choices' k runs below it).
create table demo.order_sessions (
  session     int primary key,
  instruments int not null
);
insert into demo.order_sessions (session, instruments)
select s.session, count(*) from (values (0), (1), (2)) s (session) join demo.instruments i on i.session >= s.session
group by s.session;

-- Orders per minute at t (America/Toronto): a U-shaped regular session, thinner pre- and post-market, a trickle of
-- futures overnight and at weekends (never nothing). Days differ a little.
create function demo.order_rate_local(base float8, seed bigint, t timestamptz, lt timestamp) returns float8
language sql stable parallel safe
return case
  when date_part('isodow', lt) >= 6 then greatest(0.6, base * 0.0035)
  when date_part('hour', lt) * 60 + date_part('minute', lt) between 570 and 959 then
    base * (0.75 + 0.25 * demo.u(seed, 40, (date_part('epoch', t) / 86400)::bigint))
      * (0.7 + 2.2 * exp(-(date_part('hour', lt) * 60 + date_part('minute', lt) - 570) / 18.0)
             + 1.6 * exp(-(959 - date_part('hour', lt) * 60 - date_part('minute', lt)) / 15.0))
  when date_part('hour', lt) * 60 + date_part('minute', lt) between 240 and 1199 then greatest(0.8, base * 0.06)
  else greatest(0.6, base * 0.012) end;

create function demo.order_rate(base float8, seed bigint, t timestamptz) returns float8
language sql stable parallel safe
return demo.order_rate_local(base, seed, t, t at time zone 'America/Toronto');

-- The trading session at t: 0 regular, 1 extended hours, 2 overnight and weekends.
create function demo.order_session_local(lt timestamp) returns int
language sql stable parallel safe
return case when date_part('isodow', lt) >= 6 then 2
            when date_part('hour', lt) * 60 + date_part('minute', lt) between 570 and 959 then 0
            when date_part('hour', lt) * 60 + date_part('minute', lt) between 240 and 1199 then 1
            else 2 end;

create function demo.order_session(t timestamptz) returns int
language sql stable parallel safe
return demo.order_session_local(t at time zone 'America/Toronto');

-- The venue having a bad ten minutes at t (rejects and latency spike), if any: about 1 block in 40 has one.
create function demo.venue_incident(seed bigint, t timestamptz) returns text
language sql stable parallel safe
return case when demo.u(seed, 50, floor(date_part('epoch', t) / 600)::bigint) < 0.025
            then (array['TSX', 'ALPHA', 'NEO', 'NASDAQ', 'NYSE', 'CBOE', 'CME'])[1 + floor(7 * demo.u(seed, 51, floor(date_part('epoch', t) / 600)::bigint))::int] end;

-- Order cells: n orders in the minute starting at minute, the first with id id_base; the minute's session and
-- venue incident.
create unlogged table demo.order_cells (
  minute   timestamptz not null,
  n        int not null,
  id_base  bigint not null,
  session  int not null,
  incident text
);

create function demo.order_cell_counts(from_t timestamptz, to_t timestamptz)
returns table (minute timestamptz, n int, session int, incident text)
language sql stable
as $$
  select m, floor(demo.order_rate_local(g.order_base, g.seed, m, lt) + demo.u(g.seed, 2, date_part('epoch', m)::bigint))::int,
         demo.order_session_local(lt), demo.venue_incident(g.seed, m)
  from demo.generator g
  cross join lateral (
    select m, m at time zone 'America/Toronto' as lt
    from generate_series(from_t, to_t - interval '1 minute', interval '1 minute') m
    offset 0
  ) minutes
$$;

-- The rows of the order cells. Four hashes of the row's id hold its draws as bit fields (integer thresholds where a
-- draw only picks a branch), so a row costs few expressions: h1 the time in the minute (26 bits), the instrument (10
-- bits, skewed to the popular ones), the venue (16 bits) and the status (12 bits); h2 the quantity (3 x 16 bits), the
-- side and a latency spike (8 bits each); h3 the latency (an Irwin-Hall normal of 4 x 16 bits, log-normal per venue);
-- h4 a partial fill's share and the price's noise. A venue's bad ten minutes raise its rejects and latency; prices
-- follow slow cycles per instrument.
create function demo.order_rows(part int, parts int) returns setof trad.orders
language sql stable
as $$
select id, ts, desk, venue, symbol, side, qty,
       case status when 'filled' then qty when 'partial' then greatest(1, floor(qty * (0.1 + 0.8 * u_fill))::int) else 0 end,
       px_ticks * tick, status,
       (latency * exp(0.78 * (u_latency - 2))
         * case when incident then 6.0::float8 when spike then 15.0::float8 else 1.0::float8 end
         * case when status = 'rejected' then 0.4::float8 else 1.0::float8 end)::int,
       ((case status when 'filled' then qty when 'partial' then greatest(1, floor(qty * (0.1 + 0.8 * u_fill))::int) else 0 end
         * px_ticks)::numeric * tick)::numeric(24, 6)
from (
  select o.id, o.ts, ch.desk, ch.venue, ch.symbol, ch.tick, ch.latency, o.spike, o.u_fill, o.u_latency,
         case when (o.h2 >> 48) & 255 < 133 then 'B'::char(1) else 'S'::char(1) end as side,
         o.incident_venue = ch.venue as incident,
         case when o.u_status < case when o.incident_venue = ch.venue then 1311 else ch.reject_4096 end then 'rejected'
              when o.u_status >= 3850 then 'cancelled'
              when o.u_status >= 3441 and (ch.lot > 1 or o.h2 & 65535 >= 19163) then 'partial'
              else 'filled' end as status,
         case when ch.lot = 1 then 1 + floor(40 * power(((o.h2 & 65535) + 0.5::float8) / 65536.0::float8, 3))::int
              else ch.lot * greatest(1, round(exp(1.1 + 1.9 * (((o.h2 & 65535) + ((o.h2 >> 16) & 65535) + ((o.h2 >> 32) & 65535) + 1.5::float8)
                                                                 / 65536.0::float8 - 1.5))))::int end as qty,
         round(ch.px * exp(0.06 * sin(2 * pi() * o.day / 17 + 6 * ch.phase) + 0.025 * sin(2 * pi() * o.day / 3.3 + 11 * ch.phase)
                           + 0.0015 * (((o.h4 >> 16) & 65535) / 65536.0::float8 - 0.5)) / ch.tick_f)::bigint as px_ticks
  from (
    select id, day, incident_venue, h2, h4,
           minute + ((h1 & 67108863) * 60000000 >> 26) * interval '1 microsecond' as ts,
           (session * 40 + floor(power(((h1 >> 26) & 1023) / 1024.0::float8, 1.7) * instruments)::int) * 60
             + (((h1 >> 36) & 65535) * 60 >> 16)::int as choice,
           ((h1 >> 52) & 4095)::int as u_status,
           (h2 >> 56) & 255 = 0 as spike,
           ((h3 & 65535) + ((h3 >> 16) & 65535) + ((h3 >> 32) & 65535) + ((h3 >> 48) & 65535) + 2) / 65536.0::float8 as u_latency,
           ((h4 & 65535) + 0.5::float8) / 65536.0::float8 as u_fill
    from (
      select c.id_base + k - 1 as id, c.minute, c.day, c.session, c.instruments, c.incident_venue,
             demo.bits(c.seed, 60, c.id_base + k) as h1, demo.bits(c.seed, 61, c.id_base + k) as h2,
             demo.bits(c.seed, 62, c.id_base + k) as h3, demo.bits(c.seed, 63, c.id_base + k) as h4
      from (
        select c.minute, c.n, c.id_base, c.session, c.incident as incident_venue, s.instruments, g.seed,
               date_part('epoch', c.minute) / 86400 as day
        from demo.order_cells c cross join demo.generator g join demo.order_sessions s on s.session = c.session
        where c.id_base % parts = part
        offset 0
      ) c cross join lateral generate_series(1, c.n) k
      offset 0
    ) hashed
  ) o
  join demo.order_choices ch on ch.choice = o.choice
  offset 0
) r
$$;
-- demo.tick(): the rows of every whole minute since the last generated one (at most the last 24 hours; an older gap
-- stays empty): new outages (storms under way included), outages restored or their crews moving on, orders, and one
-- demo.ticks row per minute. Answers how many minutes it generated (0: nothing to do). Concurrent calls queue on an
-- advisory lock, so each minute is generated once.
create function demo.tick() returns int
language plpgsql security definer
set search_path = pg_catalog, pg_temp
set timezone = 'UTC'
as $$
declare
  seed bigint;
  from_t timestamptz;
  to_t timestamptz := date_trunc('minute', statement_timestamp());
  minutes int;
begin
  perform pg_advisory_xact_lock(7263540913);
  select g.seed, coalesce((select max(t.minute) + interval '1 minute' from demo.ticks t), g.anchor)
    into seed, from_t from demo.generator g;
  from_t := greatest(from_t, to_t - interval '24 hours');
  if from_t >= to_t then
    return 0;
  end if;
  minutes := (date_part('epoch', to_t - from_t) / 60)::int;

  update ohub.outages o
     set restored_at = o.started_at + demo.outage_minutes(seed, o.id, o.cause, o.storm_id) * interval '1 minute',
         crew_status = 'restored'
   where o.restored_at is null
     and o.started_at + demo.outage_minutes(seed, o.id, o.cause, o.storm_id) * interval '1 minute' <= to_t;
  update ohub.outages o
     set crew_status = demo.crew_status(seed, o.id, o.cause, date_part('epoch', to_t - o.started_at) / 60)
   where o.restored_at is null
     and o.crew_status <> demo.crew_status(seed, o.id, o.cause, date_part('epoch', to_t - o.started_at) / 60);

  insert into demo.outage_cells (cell_start, minutes, province, storm_id, n, id_base, as_of)
  select c.cell_start, c.minutes, c.province, c.storm_id, c.n,
         (select coalesce(max(id), 0) from ohub.outages) + sum(c.n) over (order by c.cell_start, c.province, c.storm_id nulls first) - c.n + 1,
         to_t
    from demo.outage_cell_counts(from_t, to_t) c where c.n > 0;
  insert into demo.order_cells (minute, n, id_base, session, incident)
  select c.minute, c.n, (select coalesce(max(id), 0) from trad.orders) + sum(c.n) over (order by c.minute) - c.n + 1,
         c.session, c.incident
    from demo.order_cell_counts(from_t, to_t) c where c.n > 0;

  with o as (insert into ohub.outages select * from demo.outage_rows(0, 1) returning date_trunc('minute', started_at) as m),
       t as (insert into trad.orders select * from demo.order_rows(0, 1) returning date_trunc('minute', ts) as m),
       oc as (select m, count(*) as n from o group by m),
       tc as (select m, count(*) as n from t group by m)
  insert into demo.ticks (minute, outages, orders)
  select s.m, coalesce(oc.n, 0), coalesce(tc.n, 0)
    from generate_series(from_t, to_t - interval '1 minute', interval '1 minute') s (m)
    left join oc on oc.m = s.m left join tc on tc.m = s.m
  on conflict (minute) do nothing;

  delete from demo.outage_cells;
  delete from demo.order_cells;
  return minutes;
end
$$;

-- The bulk load's cells: the history up to the anchor's minute, one procedure per table so that DemoDatabase can plan
-- the outages and the orders on sessions of their own at once, then expand them (demo.outage_rows on one session,
-- demo.order_rows in two parts), keys and indexes dropped before and built after.
-- Background outages: about 70 % of the history's (the storms bring the rest).
-- Outage weights average 0.634 x the region's weight over whole days and years (the daily curve's mean).
update demo.generator g set outage_rate = 350000 * g.scale / ((select sum(weight) from demo.regions) * 0.634 * 730 * 24);

create procedure demo.plan_outage_history()
language sql
as $$
  insert into demo.outage_cells (cell_start, minutes, province, storm_id, n, id_base, as_of)
  select c.cell_start, c.minutes, c.province, c.storm_id, c.n,
         sum(c.n) over (order by c.cell_start, c.province, c.storm_id nulls first) - c.n + 1, g.anchor
    from demo.generator g cross join demo.outage_cell_counts(g.anchor - interval '730 days', g.anchor) c where c.n > 0
$$;

-- Orders: the 30 weekdays up to the anchor's (America/Toronto), from midnight of the first.
create procedure demo.plan_order_history()
language sql
as $$
  insert into demo.order_cells (minute, n, id_base, session, incident)
  select c.minute, c.n, sum(c.n) over (order by c.minute) - c.n + 1, c.session, c.incident
    from demo.generator g
    cross join lateral (
      select min(d)::timestamp at time zone 'America/Toronto' as from_t
        from (select (g.anchor at time zone 'America/Toronto')::date - i as d from generate_series(0, 60) i
               where date_part('isodow', (g.anchor at time zone 'America/Toronto')::date - i) < 6 order by i limit 30) days
    ) f
    cross join demo.order_cell_counts(f.from_t, g.anchor) c where c.n > 0
$$;

-- The reference data's statistics, so that the bulk load's plans know how small it is.
analyze ohub.provinces, ohub.utilities, demo.generator, demo.regions, demo.storms, demo.instruments, demo.order_choices,
  demo.order_sessions;
