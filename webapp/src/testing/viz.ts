/** Shaped answers for visualization specs: what `POST /api/v1/results/{id}/series` answers (src/viz/types.ts). */
import type { ShapeMeta, ShapedSeries, ShapedSeriesData, ShapedStat } from '@/viz/types'

export function meta(overrides: Partial<ShapeMeta> = {}): ShapeMeta {
  return {
    sourceRows: 9,
    points: 9,
    sampled: false,
    seriesTruncated: false,
    otherSeries: 0,
    nulls: 0,
    resultTruncated: false,
    resultTruncatedReason: null,
    categoriesTruncated: false,
    ...overrides,
  }
}

export function series(
  key: string,
  values: (number | null)[],
  overrides: Partial<ShapedSeries> = {},
): ShapedSeries {
  return {
    key,
    name: key,
    column: 'outages',
    axis: 'left',
    render: 'line',
    values,
    total: values.reduce<number>((sum, v) => sum + (v ?? 0), 0),
    ...overrides,
  }
}

/** Outages per province over three days (UTC midnights); Limpopo has no row on the 2nd; "Other" sums 12 provinces. */
export function outagesByProvince(overrides: Partial<ShapedSeriesData> = {}): ShapedSeriesData {
  return {
    kind: 'line',
    x: {
      column: 'day',
      type: 'time',
      values: [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 3)],
    },
    series: [
      series('Gauteng', [12, 9, 30], { exact: { '2': '30' } }),
      series('Limpopo', [3, null, 6]),
      series('Other', [1, 2, 3], { other: true }),
    ],
    meta: meta({ seriesTruncated: true, otherSeries: 12, nulls: 1 }),
    ...overrides,
  }
}

/** Orders (bars, left) and fill rate (line, right) per desk: a combo bar chart over categories. */
export function ordersByDesk(): ShapedSeriesData {
  return {
    kind: 'bar',
    x: { column: 'desk', type: 'category', values: ['FX', 'Rates', 'Equities'] },
    series: [
      series('orders', [2 ** 53, 1200, 830], {
        column: 'orders',
        render: 'bar',
        exact: { '0': '9007199254740993' },
      }),
      series('fill_rate', [0.97, 0.91, null], {
        column: 'fill_rate',
        axis: 'right',
        render: 'line',
      }),
    ],
    meta: meta({ sourceRows: 3, points: 6, nulls: 1 }),
  }
}

/** A downsampled series: 4 buckets of 1 h, two points each (start and middle). */
export function sampledLine(): ShapedSeriesData {
  const start = Date.UTC(2026, 10, 1, 0)
  const hour = 3_600_000
  const x: number[] = []
  for (let b = 0; b < 4; b++) x.push(start + b * hour, start + b * hour + hour / 2)
  return {
    kind: 'line',
    x: { column: 'at', type: 'time', values: x, bucketMs: hour },
    series: [series('load', [5, 9, 4, 8, 3, 7, 2, 6], { column: 'load' })],
    meta: meta({ sourceRows: 1_000_000, points: 8, sampled: true }),
  }
}

export function kpi(overrides: Partial<ShapedStat> = {}): ShapedStat {
  return {
    kind: 'stat',
    value: 1234.5,
    color: '#cf222e',
    comparisons: [
      {
        against: 'previous-period',
        label: 'vs yesterday',
        base: 1000,
        delta: 0.2345,
        display: 'percent',
        tone: 'bad',
      },
      {
        against: 'fixed',
        label: 'vs target',
        base: 1500,
        delta: -265.5,
        display: 'absolute',
        tone: 'good',
      },
    ],
    sparkline: {
      x: [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 3)],
      values: [900, 1000, 1234.5],
    },
    latestAt: Date.UTC(2026, 10, 3),
    meta: meta({ sourceRows: 3, points: 3 }),
    ...overrides,
  }
}
