/**
 * src/undici-lazy.ts, what the bundle gets for `import … from 'undici'`: a placeholder ProxyAgent that
 * keeps its options, and a fetch that loads the real undici and swaps the placeholder for a real agent.
 * Requests go to the loopback proxy of sim/connect-proxy.ts and the simulator, over real HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ConnectProxy } from '../sim/connect-proxy.js'
import { passingPlan, TestsigmaSimulator } from '../sim/simulator.js'
import { fetch, loadUndici, ProxyAgent } from '../src/undici-lazy.js'

let sim: TestsigmaSimulator
let proxy: ConnectProxy

beforeEach(async () => {
  sim = await TestsigmaSimulator.start({ apiKey: 'k', plans: [passingPlan('2048')] })
  proxy = await ConnectProxy.start({ [`testsigma.proxy.test:80`]: { upstream: sim.url } })
})
afterEach(async () => {
  await proxy.close()
  await sim.close()
})

describe('ProxyAgent (placeholder)', () => {
  it('keeps the options it was built with, as http-client passes them', () => {
    const options = { uri: 'http://proxy.example:3128', pipelining: 0, token: 'Basic dTpw' }
    expect(new ProxyAgent(options).proxyOptions).toBe(options)
  })

  it('makes one real undici ProxyAgent from them, on first use, and keeps it (and so its connections)', async () => {
    const placeholder = new ProxyAgent({ uri: proxy.url })
    const agent = await placeholder.real()
    expect(agent).toBeInstanceOf((await loadUndici()).ProxyAgent)
    expect(await placeholder.real()).toBe(agent)
    await agent.close()
  })
})

describe('fetch', () => {
  it('sends a request with a placeholder dispatcher through the proxy', async () => {
    const dispatcher = new ProxyAgent({ uri: proxy.url, pipelining: 0 })
    const response = await fetch('http://testsigma.proxy.test/api/v1/execution_results/1', {
      headers: { authorization: 'Bearer k' },
      dispatcher
    })
    expect(response.status).toBe(404)
    await response.text()
    expect(proxy.connects).toEqual(['testsigma.proxy.test:80'])
    expect(proxy.requestLines('testsigma.proxy.test:80')).toEqual(['GET /api/v1/execution_results/1'])
    await (await dispatcher.real()).close()
  })

  it('sends a request without a dispatcher straight to the server', async () => {
    const response = await fetch(`${sim.url}/api/v1/execution_results/1`, { headers: { authorization: 'Bearer k' } })
    expect(response.status).toBe(404)
    await response.text()
    expect(proxy.connects).toEqual([])
    expect(sim.requests.map(request => request.path)).toEqual(['/api/v1/execution_results/1'])
  })
})
