import { describe, expect, it } from 'vitest'

import {
  formatDate,
  formatExact,
  formatNumber,
  formatPrecise,
  roundDecimalText,
  vizFormats,
} from './format'

describe('formatNumber', () => {
  it('plain: thousands on by default, decimals as needed (up to 6) or fixed', () => {
    expect(formatNumber(1234.5)).toBe('1,234.5')
    expect(formatNumber(1234567)).toBe('1,234,567')
    expect(formatNumber(1 / 3)).toBe('0.333333')
    expect(formatNumber(1234.5, { decimals: 2 })).toBe('1,234.50')
    expect(formatNumber(1234.5, { thousands: false })).toBe('1234.5')
    expect(formatNumber(-0.5, { decimals: 0 })).toBe('-1')
  })

  it('percent multiplies by 100', () => {
    expect(formatNumber(0.123, { style: 'percent' })).toBe('12.3 %')
    expect(formatNumber(0.12345, { style: 'percent', decimals: 1 })).toBe('12.3 %')
    expect(formatNumber(12.5, { style: 'percent', decimals: 0 })).toBe('1,250 %')
  })

  it('currency through Intl, USD by default', () => {
    expect(formatNumber(1234.5, { style: 'currency' })).toBe('$1,234.50')
    expect(formatNumber(1234.5, { style: 'currency', currency: 'EUR', decimals: 0 })).toBe('€1,235')
    expect(formatNumber(-3, { style: 'currency', currency: 'ZAR' })).toBe('-ZAR\u00a03.00')
  })

  it('SI short form', () => {
    expect(formatNumber(42_100, { style: 'si' })).toBe('42.1K')
    expect(formatNumber(1_234_567, { style: 'si' })).toBe('1.2M')
    expect(formatNumber(999, { style: 'si' })).toBe('999')
    expect(formatNumber(3_500_000_000, { style: 'si', decimals: 2 })).toBe('3.5B')
  })

  it('plain numbers beyond 2^53 show their exact text', () => {
    expect(formatNumber(2 ** 53, {}, '9007199254740993')).toBe('9,007,199,254,740,993')
    expect(formatNumber(0.1, { decimals: 3 }, '0.123456789012345678901')).toBe('0.123')
    // other styles work from the double
    expect(formatNumber(2 ** 53, { style: 'si' }, '9007199254740993')).toBe('9,007.2T')
  })
})

describe('exact text', () => {
  it('rounds decimal text half away from zero without floats', () => {
    expect(roundDecimalText('1.005', 2)).toBe('1.01')
    expect(roundDecimalText('-2.5', 0)).toBe('-3')
    expect(roundDecimalText('9.999', 2)).toBe('10.00')
    expect(roundDecimalText('12', 2)).toBe('12.00')
    expect(roundDecimalText('-0.001', 2)).toBe('0.00')
  })

  it('formatExact groups and keeps every digit; precise prefers the exact text', () => {
    expect(formatExact('123456789012345678901234.5678')).toBe(
      '123,456,789,012,345,678,901,234.5678',
    )
    expect(formatExact('1e+21')).toBe('1,000,000,000,000,000,000,000')
    expect(formatPrecise(2 ** 53, { style: 'si' }, '9007199254740993')).toBe(
      '9,007,199,254,740,993',
    )
    expect(formatPrecise(1500, { style: 'si' })).toBe('1.5K')
  })
})

describe('formatDate', () => {
  // 2026-03-29 00:30 UTC: 01:30 CET, and Berlin moves to CEST at 01:00 UTC that day
  const at = Date.UTC(2026, 2, 29, 0, 30, 5, 42)

  it('presets in the viewer’s zone', () => {
    expect(formatDate(at, 'date', 'UTC')).toBe('2026-03-29')
    expect(formatDate(at, 'datetime', 'Europe/Berlin')).toBe('2026-03-29 01:30')
    expect(formatDate(at, 'datetime-seconds', 'America/New_York')).toBe('2026-03-28 20:30:05')
    expect(formatDate(at, 'time', 'Asia/Kolkata')).toBe('06:00:05')
    expect(formatDate(at, 'month', 'UTC')).toBe('Mar 2026')
    expect(formatDate(at, 'year', 'UTC')).toBe('2026')
  })

  it('auto: a date at midnight, else date and time', () => {
    expect(formatDate(Date.UTC(2026, 10, 1), 'auto', 'UTC')).toBe('2026-11-01')
    expect(formatDate(Date.UTC(2026, 10, 1), 'auto', 'Africa/Johannesburg')).toBe(
      '2026-11-01 02:00',
    )
    expect(formatDate(at, 'auto', 'UTC')).toBe('2026-03-29 00:30:05')
  })

  it('token patterns, literals in brackets, offsets across a DST change', () => {
    expect(formatDate(at, 'ddd D MMMM YY, H:mm:ss.SSS Z', 'Europe/Berlin')).toBe(
      'Sun 29 March 26, 1:30:05.042 +01:00',
    )
    expect(formatDate(at + 3_600_000, 'HH:mm Z', 'Europe/Berlin')).toBe('03:30 +02:00')
    expect(formatDate(at, '[Week of] MMM DD', 'UTC')).toBe('Week of Mar 29')
  })
})

describe('vizFormats', () => {
  it('binds the config’s formats, zone and null display', () => {
    const f = vizFormats(
      {
        numberFormat: { style: 'currency', currency: 'EUR' },
        dateFormat: 'date',
        nullDisplay: 'n/a',
      },
      'Europe/Berlin',
    )
    expect(f.number(12)).toBe('€12.00')
    expect(f.number(null)).toBe('n/a')
    expect(f.date(Date.UTC(2026, 0, 1, 23, 30))).toBe('2026-01-02')
    expect(f.withDate('HH:mm')(Date.UTC(2026, 0, 1, 23, 30))).toBe('00:30')
    expect(vizFormats({}, 'UTC').number(undefined)).toBe('—')
  })
})
