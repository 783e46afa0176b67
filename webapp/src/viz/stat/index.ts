/** Single stat (KPI): one number with comparisons, threshold colour and an optional sparkline. */
import { icon, type VizKindModule } from '../kind'
import { suggestStat } from '../suggest'

export const stat: VizKindModule = {
  kind: 'stat',
  label: 'Single stat',
  description: 'One number, compared with a previous period or a target, coloured by thresholds.',
  icon: icon(
    '<text x="4" y="20" font-size="14" font-family="sans-serif" font-weight="700" fill="currentColor" stroke="none">42</text><path d="M4 28 L12 25 L20 27 L28 22 L36 24 L44 19" stroke-opacity=".6"/><path d="M36 8 L40 4 L44 8" />',
  ),
  suggest: (columns) => suggestStat(columns),
  renderer: () => import('./StatView.vue').then((m) => m.default),
}
