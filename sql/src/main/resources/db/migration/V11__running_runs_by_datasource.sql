-- Running runs of one datasource: every claim counts them (the cap's backstop) and so does the view of a queued run.
-- Without this index Postgres combined the whole history of the datasource (runs_datasource_created_idx) with every
-- entry of runs_lease_idx, dead ones included — hundreds of index entries per claim after a few thousand runs, growing
-- with the history (measured with pg_stat_user_indexes under bench/sightline_bench.py small; docs/benchmarks.md).
CREATE INDEX runs_running_datasource_idx ON runs (datasource_id) WHERE status = 'running';
