/**
 * A visualization's code loaded ahead of its data. VizView and each kind's renderer (ECharts among them) are lazy
 * chunks that would otherwise start downloading only once a tile's result and then its shaped answer arrived — three
 * waits in a row on a first visit. A page that knows early which kinds it will draw (a dashboard, from its tiles) calls
 * this so the chunks load while its runs and shaping requests are on the way. Only dynamic imports here: importing
 * this file pulls nothing into the importer's chunk.
 */
import type { VizKind } from './types'

/** Starts loading VizView and the renderers of these kinds; a chunk that fails fails again, in place, when drawn. */
export function preloadViz(kinds: Iterable<VizKind>): void {
  const wanted = [...new Set(kinds)]
  if (wanted.length === 0) return
  void import('./VizView.vue').catch(() => undefined)
  void import('./registry')
    .then(({ vizKinds }) => Promise.all(wanted.map((kind) => vizKinds[kind]?.renderer())))
    .catch(() => undefined)
}
