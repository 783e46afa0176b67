/** Tables: the result's rows with column order, labels, formats, conditional colours, links and totals. */
import { icon, type VizKindModule } from '../kind'
import { suggestTable } from '../suggest'

export const table: VizKindModule = {
  kind: 'table',
  label: 'Table',
  description: 'Rows with chosen columns, formats, colours, links and a totals row.',
  icon: icon(
    '<rect x="4" y="4" width="40" height="24" rx="2"/><path d="M4 11 H44 M4 18 H44 M4 24 H44" stroke-opacity=".5"/><path d="M18 4 V28 M31 4 V28" stroke-opacity=".5"/>',
  ),
  suggest: (columns) => suggestTable(columns),
  renderer: () => import('./TableView.vue').then((m) => m.default),
}
