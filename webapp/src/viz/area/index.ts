/** Area charts: lines with filled areas, usually stacked (parts of a whole over time). */
import { icon, type VizKindModule } from '../kind'
import { suggestSeries } from '../suggest'

export const area: VizKindModule = {
  kind: 'area',
  label: 'Area',
  description: 'Filled lines, stacked or 100 %, to show parts of a total over time.',
  icon: icon(
    '<path d="M4 28 L4 20 L14 14 L24 18 L34 8 L44 12 L44 28 Z" fill="currentColor" fill-opacity=".25"/><path d="M4 28 L4 24 L14 20 L24 24 L34 16 L44 20 L44 28 Z" fill="currentColor" fill-opacity=".5"/>',
  ),
  suggest: (columns, sample) => suggestSeries('area', columns, sample),
  renderer: () => import('../chart/SeriesView.vue').then((m) => m.default),
}
