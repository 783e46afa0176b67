/** Line charts: time or category x, one or more y columns, optional series column. */
import { icon, type VizKindModule } from '../kind'
import { suggestSeries } from '../suggest'

export const line: VizKindModule = {
  kind: 'line',
  label: 'Line',
  description: 'Values over time or categories, one line per series.',
  icon: icon(
    '<path d="M4 26 L14 16 L22 20 L32 8 L44 12"/><path d="M4 28 H44" stroke-opacity=".4"/>',
  ),
  suggest: (columns, sample) => suggestSeries('line', columns, sample),
  renderer: () => import('../chart/SeriesView.vue').then((m) => m.default),
}
