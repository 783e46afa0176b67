/**
 * The one place visualization kinds are registered. Adding a kind touches its folder (an index.ts exporting a
 * {@link VizKindModule}, its renderer and option builder) and this file. Nothing here loads ECharts: renderers are
 * lazy chunks.
 */
import { area } from './area'
import { bar } from './bar'
import type { VizKindModule } from './kind'
import { line } from './line'
import { stat } from './stat'
import { table } from './table'
import type { VizKind } from './types'

export type { VizKindModule } from './kind'

export const vizKinds: Record<VizKind, VizKindModule> = { line, area, bar, stat, table }

/** In the order the kind picker shows them. */
export const vizKindList: VizKindModule[] = [line, area, bar, stat, table]
