import { serverText } from '../src/testsigma/server-text.js'

describe('serverText', () => {
  it.each([
    ['{"error":"Test Plan not found with id 9","code":null}', 'Test Plan not found with id 9'],
    ['{"message":"  busy \\n now "}', 'busy now'],
    ['{"other":1}', '{"other":1}'],
    ['<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', '502 Bad Gateway'],
    ['<html><body><h1>Service</h1><p>down</p></body></html>', 'Service down'],
    ['Unauthorized: invalid API key', 'Unauthorized: invalid API key'],
    ['', '']
  ])('reads %j as %j', (body, text) => {
    expect(serverText(body)).toBe(text)
  })

  it('clips to 300 characters', () => {
    expect(serverText('x'.repeat(1000))).toHaveLength(300)
  })

  // 256 KiB of `<` took 64 s with the old regular expressions; the limit is generous, the old cost was not.
  it.each([
    ['<', '<'.repeat(1024 * 1024)],
    ['<title', '<title'.repeat(200 * 1024)],
    ['<a', '<a '.repeat(350 * 1024)],
    ['{', '{'.repeat(1024 * 1024)],
    ['nested [', '['.repeat(60 * 1024)]
  ])('reads a hostile 1 MiB body of %j in linear time', (_, body) => {
    const started = performance.now()
    const text = serverText(body)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(text.length).toBeLessThanOrEqual(300)
  })
})
