import { toApiError } from '@/api/http'

/** A failed sign-in in words: what happened, and what to do about it. */
export interface SignInProblem {
  title: string
  detail?: string
}

export function signInProblem(error: unknown): SignInProblem {
  const problem = toApiError(error)
  if (problem.status === 429) {
    const wait =
      problem.retryAfterSeconds === undefined
        ? 'Wait a few minutes, then try again.'
        : `Try again in ${waitInWords(problem.retryAfterSeconds)}.`
    return {
      title: problem.title || 'Too many sign-in attempts',
      detail: problem.detail ? `${problem.detail} ${wait}` : wait,
    }
  }
  return { title: problem.title, detail: problem.detail }
}

export function waitInWords(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? '1 minute' : `${minutes} minutes`
}
