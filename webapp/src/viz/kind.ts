/** What the registry (registry.ts) knows of one visualization kind; each kind's folder exports one. */
import type { Component } from 'vue'

import type { Cell, ResultColumn } from '@/api/results'

import type { VizConfig, VizKind } from './types'

export interface VizKindModule {
  kind: VizKind
  label: string
  description: string
  /** A small static inline SVG preview for the kind picker (currentColor strokes, 48 × 32 view box). */
  icon: string
  /** A first mapping from the result's column types (and a sample of its rows). */
  suggest(columns: ResultColumn[], sample?: Cell[][]): VizConfig
  /**
   * The kind's renderer, loaded on first use as a lazy chunk (ECharts only reaches the page with a chart). It takes
   * the props of {@link VizRendererProps}.
   */
  renderer: () => Promise<Component>
}

/** Draws an SVG preview: one `<svg>` with the given body, sized by the picker's CSS. */
export function icon(body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 32" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${body}</svg>`
}

/** What VizView hands every kind's renderer. */
export interface VizRendererProps {
  kind: VizKind
  /** The succeeded run whose result is drawn. */
  run: import('@/api/runs').Run
  shaped: import('./types').Shaped
  config: VizConfig
  formats: import('./format').VizFormats
  theme: import('./chart/theme').VizTheme
  name?: string
}
