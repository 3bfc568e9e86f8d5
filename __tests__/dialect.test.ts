/** The two dialects' recognition of "this path does not exist here" (issue 17): only the framework's own answer. */
import { isMissingPath, isStray404 } from '../src/testsigma/dialect.js'

const PATH = '/api/v1/execution_results'
const spring = (path: string, status: unknown = 404): string =>
  JSON.stringify({ timestamp: 1716967759000, status, error: 'Not Found', message: '', path })

describe('isMissingPath', () => {
  it.each([
    ["Spring Boot's default error body naming the path", spring(PATH)],
    ['the same behind a context path (base-url with a path)', spring(`/testsigma${PATH}`)],
    ['status as a string', spring(PATH, '404')],
    [
      "the open-source server's own no-handler answer (O-geh)",
      JSON.stringify({
        timeStamp: null,
        error: `No handler found for POST https://ts.example.com${PATH}`,
        code: null,
        fieldErrors: null,
        objectErrors: null
      })
    ]
  ])('is proven by %s', (_, body) => {
    expect(isMissingPath(404, body, PATH)).toBe(true)
  })

  it.each([
    ['an empty body', ''],
    ['an HTML page (a proxy or a server in front)', '<html><body><h1>404 Not Found</h1></body></html>'],
    ['a JSON body of another shape', '{"error":"Not Found"}'],
    ["Spring's body naming another path", spring('/api/v1/test_plan_results')],
    ["Testsigma's own error for an unknown id", '{"timeStamp":null,"error":"Resource not found for id: 9","code":"0"}'],
    ['no handler for another path', JSON.stringify({ error: 'No handler found for POST https://x/api/v1/uploads' })],
    ['JSON that is not an object', '[404]']
  ])('is not proven by %s', (_, body) => {
    expect(isMissingPath(404, body, PATH)).toBe(false)
  })

  it('needs a 404', () => {
    expect(isMissingPath(400, spring(PATH), PATH)).toBe(false)
  })
})

describe('isStray404', () => {
  it("tells a 404 that is not Testsigma's own error answer", () => {
    expect(isStray404(404, '')).toBe(true)
    expect(isStray404(404, '<html>')).toBe(true)
    expect(isStray404(404, spring('/anything'))).toBe(true)
    expect(isStray404(404, '{"timeStamp":null,"error":"Couldn\'t find upload version with id: 0","code":"0"}')).toBe(
      false
    )
    expect(isStray404(500, '')).toBe(false)
  })
})
