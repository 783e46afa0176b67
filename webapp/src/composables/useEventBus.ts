// STUB — to be replaced by the workbench helper.
import { ref, type Ref } from 'vue'

import type { LiveRunEvent } from '@/api/runs'

export interface EventBus {
  /** Listens to an address (`sightline.run.<id>` or `sightline.org.<orgId>.runs`); call the result to stop. */
  subscribe(address: string, handler: (event: LiveRunEvent) => void): () => void
  /** Whether the socket is open. After a reconnect, re-read state over HTTP (events may have been missed). */
  connected: Ref<boolean>
}

/** The app's one event-bus socket (native WebSocket to /eventbus/websocket), opened on first use. */
export function useEventBus(): EventBus {
  return { subscribe: () => () => undefined, connected: ref(false) }
}
