-- The demo database's tables (database sightline_demo in the embedded Postgres). This file is the contract between
-- the demo's data generator (generate.sql, tick) and the demo's saved queries and dashboards: change both together.
-- Times are timestamptz; every row is generated from a fixed seed and an anchor instant (the install time), so two
-- installs with the same seed and anchor hold identical rows.

create schema ohub;   -- power outages across Canada (fictional utilities)
create schema trad;   -- order flow of a fictional trading firm
create schema demo;   -- the generator's bookkeeping and the tick function

create table ohub.provinces (
  code     text primary key,          -- 'AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'
  name     text not null,             -- 'Alberta', ...
  timezone text not null              -- IANA zone of the province's main population, e.g. 'America/Toronto'
);

create table ohub.utilities (
  id       int primary key,
  name     text not null unique,      -- fictional, e.g. 'Prairie Light & Power'
  province text not null references ohub.provinces (code)
);

create table ohub.outages (
  id          bigint primary key,
  utility_id  int not null references ohub.utilities (id),
  province    text not null references ohub.provinces (code),
  started_at  timestamptz not null,
  restored_at timestamptz,            -- null: still out
  customers   int not null check (customers > 0),
  cause       text not null check (cause in ('weather', 'equipment', 'tree contact', 'animal', 'planned', 'unknown')),
  crew_status text not null check (crew_status in ('unassigned', 'dispatched', 'on site', 'restored')),
  storm_id    int                     -- outages of one storm share it (storms hit several provinces at once)
);
-- Only the indexes the demo's queries and demo.tick() use: every dashboard query bounds started_at or ts (a province,
-- desk or venue filter is applied to the rows of the period), the open outages are a small partial index.
create index outages_started_at on ohub.outages (started_at);
create index outages_open on ohub.outages (started_at) where restored_at is null;

create table trad.orders (
  id          bigint primary key,
  ts          timestamptz not null,
  desk        text not null,          -- e.g. 'Equities Cash', 'ETF', 'Options MM', 'Futures'
  venue       text not null,          -- e.g. 'TSX', 'NYSE', 'NASDAQ', 'CBOE', 'NEO', 'ALPHA'
  symbol      text not null,
  side        char(1) not null check (side in ('B', 'S')),
  qty         int not null check (qty > 0),
  filled_qty  int not null check (filled_qty >= 0 and filled_qty <= qty),
  px          numeric(18, 6) not null,
  status      text not null check (status in ('filled', 'partial', 'rejected', 'cancelled')),
  latency_us  int not null check (latency_us >= 0),
  notional    numeric(24, 6) not null  -- filled_qty * px
);
-- Orders are appended in time order (the bulk load minute by minute, the tick after it), so a block range index
-- serves the dashboards' periods at a fraction of a btree's build cost; autosummarize covers the ranges the tick adds.
create index orders_ts on trad.orders using brin (ts) with (pages_per_range = 32, autosummarize = on);

-- One row per minute the tick has generated (the small table the demo schedule appends to): what it added.
create table demo.ticks (
  minute   timestamptz primary key,
  outages  int not null,
  orders   int not null
);
