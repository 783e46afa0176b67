/** Bar charts: vertical or horizontal; grouped, stacked or 100 %; with a line on the second axis for combos. */
import { icon, type VizKindModule } from '../kind'
import { suggestSeries } from '../suggest'

export const bar: VizKindModule = {
  kind: 'bar',
  label: 'Bar',
  description: 'Compare categories or periods; grouped, stacked or 100 %, optionally with a line.',
  icon: icon(
    '<rect x="6" y="14" width="7" height="14" fill="currentColor" fill-opacity=".5"/><rect x="17" y="6" width="7" height="22" fill="currentColor" fill-opacity=".5"/><rect x="28" y="18" width="7" height="10" fill="currentColor" fill-opacity=".5"/><path d="M4 28 H44" stroke-opacity=".4"/>',
  ),
  suggest: (columns, sample) => suggestSeries('bar', columns, sample),
  renderer: () => import('../chart/SeriesView.vue').then((m) => m.default),
}
