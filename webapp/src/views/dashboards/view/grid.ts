/**
 * Where a dashboard's tiles sit in view mode: a CSS grid of {@link DASHBOARD_COLUMNS} columns and fixed-height rows,
 * each tile placed by its x, y, w, h (grid units) — the browser lays out any number of tiles in one pass, with no
 * script per tile. Below {@link ONE_COLUMN_QUERY} the tiles stack in one column in reading order (top to bottom, then
 * left to right), which is also their order in the DOM (for screen readers and keyboard focus).
 */
import { DASHBOARD_COLUMNS } from '@/api/dashboards'

/** One grid row, in pixels. */
export const ROW_HEIGHT_PX = 40
/** Gap between tiles, in pixels. */
export const GAP_PX = 12
/** Narrower than this, the grid is one column. */
export const ONE_COLUMN_QUERY = '(max-width: 767.98px)'
/** In one column a tile is at least this many rows tall (a chart needs room even when laid out narrow and flat). */
export const MIN_STACKED_ROWS = 6

export interface GridBox {
  x: number
  y: number
  w: number
  h: number
}

export interface TilePlacement {
  gridColumn: string
  gridRow: string
}

/** The tile's CSS grid placement: columns x+1 … x+w (clamped to the grid), rows y+1 … y+h. */
export function tilePlacement(box: GridBox, oneColumn: boolean): TilePlacement {
  const h = Math.max(1, Math.round(box.h))
  if (oneColumn) return { gridColumn: '1 / -1', gridRow: `span ${Math.max(h, MIN_STACKED_ROWS)}` }
  const x = Math.min(DASHBOARD_COLUMNS - 1, Math.max(0, Math.round(box.x)))
  const w = Math.min(DASHBOARD_COLUMNS - x, Math.max(1, Math.round(box.w)))
  const y = Math.max(0, Math.round(box.y))
  return { gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}` }
}

/** Tiles in reading order: by row (y), then column (x); ties keep their given order. */
export function readingOrder<T extends GridBox>(tiles: readonly T[]): T[] {
  return tiles
    .map((tile, index) => ({ tile, index }))
    .sort((a, b) => a.tile.y - b.tile.y || a.tile.x - b.tile.x || a.index - b.index)
    .map(({ tile }) => tile)
}

/** The grid container's style for the mode. */
export function gridStyle(oneColumn: boolean): Record<string, string> {
  return {
    gridTemplateColumns: oneColumn
      ? 'minmax(0, 1fr)'
      : `repeat(${DASHBOARD_COLUMNS}, minmax(0, 1fr))`,
    gridAutoRows: `${ROW_HEIGHT_PX}px`,
    gap: `${GAP_PX}px`,
  }
}
