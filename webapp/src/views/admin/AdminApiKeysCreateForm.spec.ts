import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'

import type { CreatedApiKey } from '@/api/apiKeys'
import { formatDate } from '@/lib/format'
import { useFixedClock } from '@/testing/clock'
import { jsonResponse } from '@/testing/http'

import AdminApiKeysCreateForm from './AdminApiKeysCreateForm.vue'
import { customDayRange, expiryInstant } from './apiKeyExpiry'

const fetchMock = vi.fn<typeof fetch>()
const NOW = new Date('2026-11-29T05:05:00Z')

const answer: CreatedApiKey = {
  id: 'k1',
  name: 'nightly csv',
  prefix: 'sl_AbC123',
  createdAt: NOW.toISOString(),
  lastUsedAt: null,
  expiresAt: null,
  owner: { id: 'u1', email: 'ops@example.com' },
  key: 'sl_AbC123xyzXYZ0123456789abcdefghijklmnopqrstu',
}

function mountForm() {
  return mount(AdminApiKeysCreateForm, { attachTo: document.body })
}

type Wrapper = ReturnType<typeof mountForm>

async function submit(wrapper: Wrapper, expiry: string, day?: string): Promise<void> {
  await wrapper.find('input[name="name"]').setValue('nightly csv')
  await wrapper.find('select[name="expiry"]').setValue(expiry)
  if (day !== undefined) await wrapper.find('input[name="expiryDay"]').setValue(day)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

function sentBody(): unknown {
  return JSON.parse(String(fetchMock.mock.calls[0]![1]?.body))
}

useFixedClock(NOW)

beforeEach(() => {
  fetchMock.mockReset()
  vi.stubGlobal('fetch', fetchMock)
  document.body.innerHTML = ''
})

describe('AdminApiKeysCreateForm expiry', () => {
  it('offers the usual lifetimes, 90 days by default, and says when that ends', () => {
    const wrapper = mountForm()

    const select = wrapper.find('select[name="expiry"]')
    expect(select.findAll('option').map((o) => o.text())).toEqual([
      '30 days',
      '90 days',
      '1 year',
      'Custom date…',
      'Never',
    ])
    expect((select.element as HTMLSelectElement).value).toBe('90')
    expect(wrapper.find('#api-key-expiry-hint').text()).toBe(
      `Stops working on ${formatDate('2027-02-27T05:05:00Z')}.`,
    )
    expect(wrapper.find('input[name="expiryDay"]').exists()).toBe(false)
  })

  it.each([
    ['30', '2026-12-29T05:05:00.000Z'],
    ['90', '2027-02-27T05:05:00.000Z'],
    ['365', '2027-11-29T05:05:00.000Z'],
    ['never', null],
  ])('sends %s as expiresAt %s', async (choice, expiresAt) => {
    const wrapper = mountForm()
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { ...answer, expiresAt }))

    await submit(wrapper, choice)

    expect(sentBody()).toEqual({ name: 'nightly csv', expiresAt })
    expect(wrapper.emitted('created')).toHaveLength(1)
  })

  it('warns that a key without expiry works until revoked', async () => {
    const wrapper = mountForm()

    await wrapper.find('select[name="expiry"]').setValue('never')

    expect(wrapper.find('#api-key-expiry-hint').text()).toContain('Works until revoked.')
  })

  it('takes a custom last day and sends the end of that day', async () => {
    const wrapper = mountForm()
    fetchMock.mockResolvedValueOnce(jsonResponse(201, answer))
    await wrapper.find('select[name="expiry"]').setValue('custom')

    const day = wrapper.find('input[name="expiryDay"]')
    expect(day.attributes('type')).toBe('date')
    expect([day.attributes('min'), day.attributes('max')]).toEqual(['2026-11-29', '2031-11-28'])
    await submit(wrapper, 'custom', '2027-03-01')

    expect(sentBody()).toEqual({
      name: 'nightly csv',
      expiresAt: new Date(2027, 2, 2).toISOString(),
    })
  })

  it.each([
    ['', 'Required: pick the last day the key works.'],
    ['2026-11-28', 'Pick today or a later day.'],
    ['2031-11-29', 'Pick a day at most 5 years ahead.'],
  ])('refuses the custom day "%s" before sending anything', async (value, message) => {
    const wrapper = mountForm()

    await submit(wrapper, 'custom', value)

    expect(wrapper.find('input[name="expiryDay"]').attributes('aria-invalid')).toBe('true')
    expect(wrapper.find('#api-key-expiry-day-error').text()).toBe(message)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows the server refusing expiresAt under the expiry', async () => {
    const wrapper = mountForm()
    fetchMock.mockResolvedValueOnce(
      jsonResponse(400, {
        title: 'Invalid request',
        status: 400,
        detail: 'Some fields are invalid.',
        errors: [{ field: '/expiresAt', message: 'must be at least a minute in the future' }],
      }),
    )

    await submit(wrapper, '30')

    expect(wrapper.find('#api-key-expiry-error').text()).toBe(
      'Must be at least a minute in the future.',
    )
    expect(wrapper.find('select[name="expiry"]').attributes('aria-invalid')).toBe('true')
    expect(wrapper.emitted('created')).toBeUndefined()
  })
})

describe('apiKeyExpiry', () => {
  it('keeps custom days within five years, even from the last day of February', () => {
    expect(customDayRange(new Date(2028, 1, 29, 12))).toEqual({
      min: '2028-02-29',
      max: '2033-02-28',
    })
    expect(expiryInstant('custom', '2028-02-29', new Date(2028, 1, 29, 12))).toEqual({
      expiresAt: new Date(2028, 2, 1).toISOString(),
    })
  })
})
