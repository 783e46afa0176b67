// Bridge fan-out under load (issue 16, "Load"): N raw WebSockets on /eventbus/websocket, each registered on the
// org's run feed, while runs are enqueued at R per second for S seconds; delivery latency = time the event reached the
// socket − the event's `at` (the publishing process's clock: same machine). Prints p50/p99/max, events per socket,
// and sockets that were refused or closed. Not part of the test suite.
//
//   node bench/bridge_fanout.mjs BASE_URL API_KEY DATASOURCE_ID [sockets=500] [runsPerSecond=100] [seconds=20]
//
// Usually started by bench/api_load.py against its own server. Needs webapp/node_modules (`ws`): npm ci in webapp/.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), '../webapp/package.json'))
const WebSocket = require('ws')

const [base, key, datasource, socketsArg = '500', rateArg = '100', secondsArg = '20'] = process.argv.slice(2)
if (!base || !key || !datasource) {
  console.error('usage: node bench/bridge_fanout.mjs BASE_URL API_KEY DATASOURCE_ID [sockets] [runs/s] [seconds]')
  process.exit(2)
}
const sockets = Number(socketsArg)
const rate = Number(rateArg)
const seconds = Number(secondsArg)
const auth = { Authorization: `Bearer ${key}` }

const me = await (await fetch(`${base}/api/v1/me`, { headers: auth })).json()
const feed = `sightline.org.${me.org.id}.runs`
const wsUrl = base.replace(/^http/, 'ws') + '/eventbus/websocket'

const latencies = []
const perSocket = new Array(sockets).fill(0)
let refused = 0
let closedEarly = 0
const closeReasons = {}
const refusedStatuses = {}
let running = true
const decoder = new TextDecoder()

function open(i) {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { headers: auth })
    ws.binaryType = 'arraybuffer'
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'register', address: feed }))
      resolve(ws)
    })
    ws.on('message', (data) => {
      const received = Date.now()
      const text = typeof data === 'string' ? data : decoder.decode(data)
      const msg = JSON.parse(text)
      if (msg.type === 'err') refused++
      if (msg.type === 'rec' && msg.body && msg.body.at && !msg.body.progress) {
        latencies.push(received - msg.body.at)
        perSocket[i]++
      }
    })
    ws.on('close', (code, reason) => {
      if (running) {
        closedEarly++
        const why = `${code} ${reason}`
        closeReasons[why] = (closeReasons[why] || 0) + 1
      }
    })
    ws.on('error', () => resolve(null))
  })
}

const opened = []
for (let i = 0; i < sockets; i += 50) {
  opened.push(...(await Promise.all(Array.from({ length: Math.min(50, sockets - i) }, (_, j) => open(i + j)))))
}
const live = opened.filter(Boolean)
const pinger = setInterval(() => live.forEach((ws) => ws.readyState === 1 && ws.send('{"type":"ping"}')), 5000)
// registrations are not acknowledged: give them a moment, then measure only what follows
await new Promise((r) => setTimeout(r, 2000))
latencies.length = 0
perSocket.fill(0)

let enqueued = 0
let failed = 0
const started = Date.now()
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * rate) - enqueued
    for (let k = 0; k < due; k++) {
      enqueued++
      fetch(`${base}/api/v1/runs`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ datasourceId: datasource, sql: `select ${enqueued} as n` }),
      }).then((r) => {
        if (r.status !== 201 && r.status !== 200) {
          failed++
          refusedStatuses[r.status] = (refusedStatuses[r.status] || 0) + 1
        }
      }, () => failed++)
    }
    if (Date.now() - started >= seconds * 1000) {
      clearInterval(timer)
      resolve()
    }
  }, 10)
})
await new Promise((r) => setTimeout(r, 3000))
running = false
clearInterval(pinger)
live.forEach((ws) => ws.close())

latencies.sort((a, b) => a - b)
const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN
const counts = perSocket.slice().sort((a, b) => a - b)
console.log(`bridge fan-out: ${live.length}/${sockets} sockets open, ${enqueued} runs enqueued in ${seconds} s ` +
  `(${(enqueued / seconds).toFixed(0)}/s, ${failed} refused), ${latencies.length} events delivered; ` +
  `delivery p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${latencies[latencies.length - 1]} ms; ` +
  `events per socket min ${counts[0]} / max ${counts[counts.length - 1]}; ` +
  `registrations refused ${refused}, sockets closed early ${closedEarly} ${JSON.stringify(closeReasons)}; ` +
  `run requests refused by status ${JSON.stringify(refusedStatuses)}`)
process.exit(0)
