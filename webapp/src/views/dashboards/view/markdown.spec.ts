import { describe, expect, it } from 'vitest'

import { fillPlaceholders, renderTextTile } from './markdown'

const known = new Set(['province', 'period', 'top'])

// happy-dom 21 quirk: DOMPurify there unwraps the first top-level element (keeping its text) and otherwise leaves the
// markup alone — it does not sanitize in this environment (Chromium: it does; the e2e suite renders a hostile text
// tile). These specs therefore prove the first layer on its own: markdown-it with html off and its link validation.
// Each text starts with a plain line, so what is asserted is never in the unwrapped position.
const LEAD = 'Lead.\n\n'

function render(text: string, values: Record<string, never> | Record<string, unknown> = {}) {
  const html = renderTextTile(LEAD + text, values as never, known)
  const host = document.createElement('div')
  host.innerHTML = html
  host.firstChild?.remove() // the lead line
  return { html, host }
}

describe('text tiles', () => {
  it('renders Markdown, links bare URLs and opens links in a new tab without opener or referrer', () => {
    const { host } = render(
      '# Outages\n\nSee **the map** at https://example.com/map and [docs](https://example.com/docs).',
    )
    expect(host.querySelector('h1')?.textContent).toBe('Outages')
    expect(host.querySelector('strong')?.textContent).toBe('the map')
    const links = [...host.querySelectorAll('a')]
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/map',
      'https://example.com/docs',
    ])
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank')
      expect(a.getAttribute('rel')).toBe('noopener noreferrer')
    }
  })

  it('never lets a script, an event handler or a javascript: link through', () => {
    const hostile = [
      '<script>window.pwned = 1</script>',
      '<img src=x onerror="window.pwned = 1">',
      '[click](javascript:window.pwned=1)',
      '<a href="javascript:alert(1)">raw</a>',
      '![img](x" onerror="alert(1))',
      '<svg onload=alert(1)>',
    ].join('\n\n')
    const { html, host } = render(hostile)
    expect(host.querySelector('script, img[onerror], svg, iframe')).toBeNull()
    expect(html).not.toMatch(/<script/i)
    for (const el of host.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        expect(attr.name.startsWith('on'), `${el.tagName} ${attr.name}`).toBe(false)
        expect(attr.value.toLowerCase()).not.toContain('javascript:')
      }
    }
    // the raw HTML shows as text (html: false), it is not dropped silently
    expect(host.textContent).toContain('<script>')
  })

  it('replaces {{param}} placeholders by the current values before rendering, escaped', () => {
    const { host } = render(
      'Province: **{{ province }}**, period {{period.start}} to {{period.end}}, all: {{period}}',
      {
        province: 'Gauteng',
        period: { start: '2026-01-01', end: '2026-01-31' },
      },
    )
    expect(host.textContent?.trim()).toBe(
      'Province: Gauteng, period 2026-01-01 to 2026-01-31, all: 2026-01-01 – 2026-01-31',
    )
    expect(host.querySelector('strong')?.textContent).toBe('Gauteng')
  })

  it('keeps a hostile value as plain text: no markup, no link', () => {
    const { host } = render('Province: {{province}}', {
      province: '<img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold**',
    })
    expect(host.querySelector('img, a, strong')).toBeNull()
    expect(host.textContent?.trim()).toBe(
      'Province: <img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold**',
    )
  })

  it('shows a dash for a parameter without a value, lists, presets in words, and leaves unknown names', () => {
    expect(
      fillPlaceholders('{{province}}|{{top}}|{{nope}}', { top: ['a', 'b'] as never }, known),
    ).toBe('—|a, b|{{nope}}')
    expect(fillPlaceholders('{{period}}', { period: 'last_7d' }, known)).toBe('Last 7 days')
  })
})
