import { describe, expect, it } from 'vitest'

import {
  describeErrorCode,
  errorSummary,
  describeQueue,
  formatBytes,
  formatBytesExact,
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatRelative,
  shortId,
  sqlFirstLine,
} from './format'

describe('formatDuration', () => {
  it('shows less than a second in milliseconds', () => {
    expect(formatDuration(0)).toBe('0 ms')
    expect(formatDuration(350)).toBe('350 ms')
    expect(formatDuration(999)).toBe('999 ms')
  })

  it('shows seconds with one decimal below ten seconds, whole seconds above', () => {
    expect(formatDuration(1000)).toBe('1.0 s')
    expect(formatDuration(1234)).toBe('1.2 s')
    expect(formatDuration(9999)).toBe('9.9 s')
    expect(formatDuration(42_700)).toBe('42 s')
  })

  it('shows minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(123_000)).toBe('2 min 3 s')
    expect(formatDuration(120_000)).toBe('2 min')
    expect(formatDuration(3_900_000)).toBe('1 h 5 min')
    expect(formatDuration(7_200_000)).toBe('2 h')
  })

  it('shows an unknown duration as a dash', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(undefined)).toBe('—')
  })
})

describe('formatCount and formatBytes', () => {
  it('groups digits of exact counts', () => {
    expect(formatCount(1_234_567, 'en-US')).toBe('1,234,567')
    expect(formatCount(0, 'en-US')).toBe('0')
    expect(formatCount(null)).toBe('—')
  })

  it('shows bytes in binary units for reading, exact bytes for titles', () => {
    expect(formatBytes(512, 'en-US')).toBe('512 B')
    expect(formatBytes(48_000, 'en-US')).toBe('46.9 KiB')
    expect(formatBytes(1024 * 1024, 'en-US')).toBe('1 MiB')
    expect(formatBytes(1.5 * 1024 ** 3, 'en-US')).toBe('1.5 GiB')
    expect(formatBytes(300 * 1024, 'en-US')).toBe('300 KiB')
    expect(formatBytesExact(48_000, 'en-US')).toBe('48,000 bytes')
    expect(formatBytesExact(1, 'en-US')).toBe('1 byte')
    expect(formatBytes(null)).toBe('—')
  })
})

describe('formatRelative', () => {
  const now = Date.parse('2026-11-29T12:00:00Z')

  it('says how long ago in the largest whole unit', () => {
    expect(formatRelative('2026-11-29T11:59:50Z', now)).toBe('just now')
    expect(formatRelative('2026-11-29T11:57:00Z', now)).toBe('3 min ago')
    expect(formatRelative('2026-11-29T09:30:00Z', now)).toBe('2 h ago')
    expect(formatRelative('2026-11-24T12:00:00Z', now)).toBe('5 d ago')
  })

  it('handles a clock that is behind the server', () => {
    expect(formatRelative('2026-11-29T12:05:00Z', now)).toBe('in 5 min')
  })
})

describe('formatDateTime', () => {
  it('shows the exact time with seconds and the zone', () => {
    const text = formatDateTime('2026-11-29T03:04:05.678Z', { timeZone: 'UTC', locale: 'en-GB' })
    expect(text).toContain('03:04:05')
    expect(text).toContain('2026')
    expect(text).toContain('UTC')
  })

  it('adds milliseconds when asked', () => {
    const text = formatDateTime('2026-11-29T03:04:05.678Z', {
      timeZone: 'UTC',
      locale: 'en-GB',
      milliseconds: true,
    })
    expect(text).toContain('03:04:05.678')
  })
})

describe('formatDate', () => {
  it('shows the day in the given zone, without the time', () => {
    expect(formatDate('2027-03-01T23:30:00Z', { timeZone: 'UTC', locale: 'en-US' })).toBe(
      'Mar 1, 2027',
    )
    expect(formatDate('2027-03-01T23:30:00Z', { timeZone: 'Asia/Tokyo', locale: 'en-US' })).toBe(
      'Mar 2, 2027',
    )
    expect(formatDate(null)).toBe('—')
  })
})

describe('sqlFirstLine and shortId', () => {
  it('takes the first non-blank line of SQL', () => {
    expect(sqlFirstLine('\n  select region,\n  count(*) from outages')).toBe('select region,')
    expect(sqlFirstLine('')).toBe('')
  })

  it('shortens ids to eight characters', () => {
    expect(shortId('3f2a9c1e-1111-2222-3333-444455556666')).toBe('3f2a9c1e…')
  })

  it('names SQLSTATEs in words, by code or by class, and Sightline codes as words', () => {
    expect(describeErrorCode('42703')).toBe('SQLSTATE 42703 (undefined column)')
    expect(describeErrorCode('42P99')).toBe(
      'SQLSTATE 42P99 (syntax error or access rule violation)',
    )
    expect(describeErrorCode('ZZ999')).toBe('SQLSTATE ZZ999')
    expect(describeErrorCode('connection_refused')).toBe('connection refused')
    expect(describeErrorCode(null)).toBeNull()
  })

  it('says where a queued run stands and how busy its datasource is', () => {
    expect(describeQueue({ ahead: 0, running: 1, maxConcurrency: 4 })).toBe(
      'next in line · 1 of 4 running on this datasource',
    )
    expect(describeQueue({ ahead: 2, running: 4, maxConcurrency: 4 })).toBe(
      '2 runs ahead · datasource busy: 4 of 4 running',
    )
    expect(describeQueue({ ahead: 1000, aheadAtLeast: true, running: 8, maxConcurrency: 8 })).toBe(
      '1,000+ runs ahead · datasource busy: 8 of 8 running',
    )
    expect(describeQueue(undefined)).toBeNull()
  })
})

describe('errorSummary', () => {
  it('gives the message in words on one line', () => {
    expect(errorSummary({ code: '42P01', message: 'relation "outagez" does not exist' })).toBe(
      'relation "outagez" does not exist',
    )
    expect(
      errorSummary({ code: '42601', message: '\n  syntax   error at or near "form"\nLINE 1: …' }),
    ).toBe('syntax error at or near "form"')
  })

  it('cuts a long message at a word, with an ellipsis', () => {
    const message = `canceling statement due to statement timeout ${'and more words '.repeat(20)}`
    const summary = errorSummary({ code: '57014', message }, 60)
    expect(summary).toBe('canceling statement due to statement timeout and more words…')
    expect(summary.length).toBeLessThanOrEqual(61)
  })

  it('says the code in words when there is no message', () => {
    expect(errorSummary({ code: '57014', message: null })).toBe(
      'Failed: SQLSTATE 57014 (query canceled)',
    )
    expect(errorSummary({ code: 'connection_refused', message: '' })).toBe(
      'Failed: connection refused',
    )
    expect(errorSummary({ code: null, message: null })).toBe('The run failed.')
    expect(errorSummary({ code: 'error', message: null })).toBe('The run failed.')
    expect(errorSummary(null)).toBe('')
  })
})
