import path from 'node:path'
import { runnerDefaults } from '../sim/action-yml.js'
import { parseConfig } from '../src/config.js'
import { InputError } from '../src/inputs.js'
import { cleartextWarning } from '../src/testsigma/server-inputs.js'
import { DEFAULT_BASE_URL } from '../src/testsigma/links.js'

const WORKSPACE = '/home/runner/work/repo/repo'

/** The inputs as the runner gives them: every default action.yml declares is set, given or not. */
function configOf(inputs: Record<string, string>) {
  const all: Record<string, string> = {
    ...runnerDefaults('ghs_jobToken'),
    'api-key': 'key-123',
    'test-plan-id': '2048',
    ...inputs
  }
  return parseConfig(name => all[name] ?? '', WORKSPACE)
}

function errorOf(inputs: Record<string, string>): InputError {
  try {
    configOf(inputs)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    expect(configOf({})).toEqual({
      apiKey: 'key-123',
      testPlanId: '2048',
      uploadVersions: undefined,
      buildNumber: undefined,
      environmentId: undefined,
      runtimeData: undefined,
      baseUrl: DEFAULT_BASE_URL,
      apiDialect: 'auto',
      wait: true,
      pollIntervalMs: 15_000,
      timeoutMs: 180 * 60_000,
      failOnFailure: true,
      junitReport: undefined,
      stopOnCancel: true,
      rerunFailedTests: true,
      prComment: false,
      // Read for "Re-run failed jobs", which looks the previous attempt's run up with it.
      githubToken: 'ghs_jobToken'
    })
  })

  it('reads every input', () => {
    const config = configOf({
      'upload-versions': '101=5003\n102=5004',
      'build-number': ' 1.4.2-rc1 ',
      'environment-id': '17',
      'runtime-data': 'user=qa-bot, url=https://shop.example.com/?a=b',
      'base-url': 'https://testsigma.example.com/',
      wait: 'false',
      'poll-interval-seconds': '2.5',
      'timeout-minutes': '0.5',
      'fail-on-failure': 'FALSE',
      'junit-report': 'reports/ts.xml',
      'stop-on-cancel': 'False',
      'rerun-failed-tests': 'false'
    })
    expect(config).toMatchObject({
      uploadVersions: { '101': 5003, '102': 5004 },
      buildNumber: '1.4.2-rc1',
      environmentId: 17,
      runtimeData: { user: 'qa-bot', url: 'https://shop.example.com/?a=b' },
      baseUrl: 'https://testsigma.example.com',
      wait: false,
      pollIntervalMs: 2500,
      timeoutMs: 30_000,
      failOnFailure: false,
      junitReport: {
        path: 'reports/ts.xml',
        absolutePath: path.join(WORKSPACE, 'reports/ts.xml'),
        workspace: WORKSPACE
      },
      stopOnCancel: false,
      rerunFailedTests: false
    })
  })

  it('takes upload versions and runtime data as JSON objects too', () => {
    const config = configOf({
      'upload-versions': '{"101": 5003, "102": "5004"}',
      'runtime-data': '{"user": "qa-bot", "retries": 3, "headless": true}'
    })
    expect(config.uploadVersions).toEqual({ '101': 5003, '102': 5004 })
    expect(config.runtimeData).toEqual({ user: 'qa-bot', retries: '3', headless: 'true' })
  })

  it('keeps a self-hosted path prefix and drops trailing slashes', () => {
    expect(configOf({ 'base-url': 'http://localhost:8080/testsigma//' }).baseUrl).toBe(
      'http://localhost:8080/testsigma'
    )
  })

  it.each([
    [
      'test-plan-id',
      { 'test-plan-id': 'abc' },
      /"test-plan-id" must be the test plan's numeric id, got "abc"\. Example: test-plan-id: 2048/
    ],
    ['test-plan-id', { 'test-plan-id': '' }, /"test-plan-id" is required/],
    ['test-plan-id', { 'test-plan-id': '20-48' }, /"test-plan-id".*got "20-48"/],
    ['api-key', { 'api-key': '' }, /"api-key" is required.*secrets\.TESTSIGMA_API_KEY/],
    [
      'environment-id',
      { 'environment-id': 'staging' },
      /"environment-id" must be a numeric environment id.*Example: environment-id: 17/
    ],
    [
      'upload-versions',
      { 'upload-versions': '101:5003' },
      /"upload-versions" has "101:5003", which is not a KEY=VALUE pair.*Example/
    ],
    [
      'upload-versions',
      { 'upload-versions': '101=latest' },
      /upload version id "latest" for device 101, which is not a numeric id/
    ],
    [
      'upload-versions',
      { 'upload-versions': 'pixel=5003' },
      /device id "pixel", which is not a numeric test device id/
    ],
    ['upload-versions', { 'upload-versions': '{"101": 5003' }, /"upload-versions" looks like JSON but does not parse/],
    ['upload-versions', { 'upload-versions': '{"101": 50.5}' }, /upload version id "50\.5"/],
    ['upload-versions', { 'upload-versions': '101=1\n101=2' }, /names "101" twice/],
    [
      'runtime-data',
      { 'runtime-data': 'just-a-word' },
      /"runtime-data" has "just-a-word", which is not a KEY=VALUE pair/
    ],
    [
      'runtime-data',
      { 'runtime-data': '{"a": {"b": 1}}' },
      /"runtime-data" has a nested object for "a"; values must be text/
    ],
    ['runtime-data', { 'runtime-data': '["a"]' }, /looks like JSON|must be a JSON object/],
    [
      'base-url',
      { 'base-url': 'app.testsigma.com' },
      /"base-url" must be an http\(s\) URL, got "app\.testsigma\.com".*Example: base-url: https:/
    ],
    ['base-url', { 'base-url': 'ftp://testsigma.example.com' }, /"base-url" must be an http\(s\) URL.*protocol ftp:/],
    [
      'base-url',
      { 'base-url': 'https://user:pw@testsigma.example.com' },
      /"base-url" must not contain a user name or password/
    ],
    ['wait', { wait: 'yes' }, /"wait" must be true or false, got "yes"\. Example: wait: false/],
    ['fail-on-failure', { 'fail-on-failure': '0' }, /"fail-on-failure" must be true or false/],
    ['stop-on-cancel', { 'stop-on-cancel': 'nope' }, /"stop-on-cancel" must be true or false/],
    ['rerun-failed-tests', { 'rerun-failed-tests': 'failed' }, /"rerun-failed-tests" must be true or false/],
    [
      'poll-interval-seconds',
      { 'poll-interval-seconds': '0' },
      /"poll-interval-seconds" must be greater than 0, got "0"\. Example/
    ],
    ['poll-interval-seconds', { 'poll-interval-seconds': '-5' }, /"poll-interval-seconds" must be a positive number/],
    [
      'poll-interval-seconds',
      { 'poll-interval-seconds': 'fast' },
      /"poll-interval-seconds" must be a positive number \(decimals allowed\), got "fast"/
    ],
    ['poll-interval-seconds', { 'poll-interval-seconds': '1e3' }, /must be a positive number/],
    ['poll-interval-seconds', { 'poll-interval-seconds': '86400' }, /must be at most 3600/],
    ['timeout-minutes', { 'timeout-minutes': 'Infinity' }, /"timeout-minutes" must be a positive number/],
    ['timeout-minutes', { 'timeout-minutes': '0.0' }, /"timeout-minutes" must be greater than 0/],
    [
      'junit-report',
      { 'junit-report': '../../etc/x' },
      /"junit-report" must be a file path inside the workspace, got "\.\.\/\.\.\/etc\/x"/
    ],
    ['junit-report', { 'junit-report': '/etc/passwd' }, /"junit-report" must be a file path inside the workspace/],
    ['junit-report', { 'junit-report': '.' }, /"junit-report" must be a file path inside the workspace/]
  ])('refuses a bad %s with a message that names it and shows an example', (input, inputs, message) => {
    const error = errorOf(inputs)
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(/Example: /)
  })

  it('never quotes the API key back, even a malformed one', () => {
    const error = errorOf({ 'api-key': 'secret-part-one\nsecret-part-two' })
    expect(error.input).toBe('api-key')
    expect(error.message).toMatch(/white space or control characters/)
    expect(error.message).not.toContain('secret-part')
  })

  it('accepts the YAML spellings of booleans that core.getBooleanInput accepts', () => {
    for (const text of ['true', 'True', 'TRUE']) expect(configOf({ wait: text }).wait).toBe(true)
    for (const text of ['false', 'False', 'FALSE']) expect(configOf({ wait: text }).wait).toBe(false)
  })
})

describe('cleartextWarning', () => {
  it('warns when the key would travel unencrypted to another host', () => {
    expect(cleartextWarning('http://testsigma.internal.example.com')).toBe(
      'base-url http://testsigma.internal.example.com is plain http: the API key travels to testsigma.internal.example.com unencrypted. Use https.'
    )
  })
  it.each(['https://app.testsigma.com', 'http://localhost:8080', 'http://127.0.0.1:3000', 'http://[::1]:8080'])(
    'stays quiet for %s',
    url => expect(cleartextWarning(url)).toBeUndefined()
  )
})

describe('parseConfig: pr-comment and github-token', () => {
  it('defaults to no comment, and to no token without rerun-failed-tests', () => {
    expect(configOf({ 'rerun-failed-tests': 'false' })).toMatchObject({ prComment: false, githubToken: undefined })
  })

  it.each([
    ['true', true],
    ['True', true],
    ['FALSE', false]
  ])('reads pr-comment: %s', (text, value) => {
    expect(configOf({ 'pr-comment': text, 'github-token': 'ghs_abc', 'rerun-failed-tests': 'false' })).toMatchObject({
      prComment: value,
      githubToken: value ? 'ghs_abc' : undefined
    })
  })

  it('refuses a pr-comment that is not a boolean, naming the input', () => {
    expect(() => configOf({ 'pr-comment': 'yes please' })).toThrow(
      new InputError('pr-comment', 'must be true or false, got "yes please"', 'true')
    )
  })

  it('refuses a token with a line break without quoting it', () => {
    let error: unknown
    try {
      configOf({ 'pr-comment': 'true', 'github-token': 'ghs_secret\nmore' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(/^Input "github-token" contains white space/)
    expect((error as Error).message).not.toContain('ghs_secret')
  })

  it('ignores a token that is none when there is no comment, so an unexpanded default cannot fail the step', () => {
    expect(configOf({ 'github-token': '${{ github.token }}' })).toMatchObject({
      prComment: false,
      githubToken: undefined
    })
    expect(configOf({ 'github-token': 'ghs_bad token' }).githubToken).toBeUndefined()
    // Without the comment, the token only reads for rerun-failed-tests.
    expect(configOf({ 'github-token': 'ghs_abc' }).githubToken).toBe('ghs_abc')
    expect(configOf({ 'github-token': 'ghs_abc', 'rerun-failed-tests': 'false' }).githubToken).toBeUndefined()
  })

  it('explains an unexpanded token expression when the comment needs the token', () => {
    expect(() => configOf({ 'pr-comment': 'true', 'github-token': '${{ github.token }}' })).toThrow(
      /^Input "github-token" is the expression "\$\{\{ github.token \}\}", which GitHub Actions expands but nothing did here .*INPUT_GITHUB-TOKEN in \.env/
    )
  })
})

describe('api-dialect', () => {
  it.each([
    ['', 'auto'],
    ['auto', 'auto'],
    ['cloud', 'cloud'],
    ['open-source', 'open-source'],
    ['Open-Source', 'open-source']
  ])('reads %p as %s', (text, dialect) => {
    expect(configOf({ 'api-dialect': text }).apiDialect).toBe(dialect)
  })

  it('refuses an unknown dialect, naming the three', () => {
    expect(errorOf({ 'api-dialect': 'oss' }).message).toBe(
      'Input "api-dialect" must be auto, cloud or open-source, got "oss". Example: api-dialect: auto'
    )
  })

  it('refuses environment-id with open-source before anything is sent, and takes upload-versions (issue 21)', () => {
    expect(
      errorOf({ 'api-dialect': 'open-source', 'upload-versions': '101=5003', 'environment-id': '17' }).message
    ).toBe(
      'Input "api-dialect" is open-source, whose trigger cannot carry environment-id (the open-source server has ' +
        'no such field and would run without it). Remove environment-id, or use the cloud dialect. Example: ' +
        'api-dialect: cloud'
    )
    expect(configOf({ 'api-dialect': 'open-source', 'upload-versions': '101=5003' })).toMatchObject({
      apiDialect: 'open-source',
      uploadVersions: { '101': 5003 }
    })
  })

  it('lets the cloud and auto carry both', () => {
    for (const dialect of ['cloud', 'auto']) {
      expect(configOf({ 'api-dialect': dialect, 'upload-versions': '101=5003', 'environment-id': '17' })).toMatchObject(
        { apiDialect: dialect, environmentId: 17 }
      )
    }
  })
})

describe('parseConfig: what a review found slipping through', () => {
  it.each(['https://testsigma.example.com?', 'https://testsigma.example.com/#', 'https://testsigma.example.com/api?#'])(
    'refuses base-url %j, whose empty query or fragment URL parsing hides',
    baseUrl => {
      expect(errorOf({ 'base-url': baseUrl }).message).toContain('must not have a query or fragment')
    }
  )

  it.each([
    [
      { 'test-plan-id': '9007199254740993' },
      'test-plan-id',
      /must be at most 9007199254740991.*got "9007199254740993"/
    ],
    [{ 'environment-id': '9007199254740992' }, 'environment-id', /must be at most 9007199254740991/],
    [{ 'upload-versions': '101=9007199254740993' }, 'upload-versions', /upload version id "9007199254740993", above/],
    [{ 'upload-versions': '9007199254740993=5' }, 'upload-versions', /device id "9007199254740993", above/],
    [{ 'upload-versions': '{"101": 9007199254740993}' }, 'upload-versions', /above 9007199254740991, which JSON.parse/]
  ])('refuses an id above 2^53 - 1 rather than send its neighbour: %p', (inputs, input, message) => {
    const error = errorOf(inputs)
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  it('accepts the largest exact id', () => {
    expect(configOf({ 'test-plan-id': '9007199254740991', 'environment-id': '9007199254740991' })).toMatchObject({
      testPlanId: '9007199254740991',
      environmentId: 9007199254740991
    })
  })

  it('raises a poll interval below 1 s to 1 s, with a warning for the log', () => {
    const config = configOf({ 'poll-interval-seconds': '0.001' })
    expect(config.pollIntervalMs).toBe(1000)
    expect(config.warnings).toEqual([
      'poll-interval-seconds: 0.001 is below the floor of 1 s; the status is read every 1 s instead'
    ])
    expect(configOf({ 'poll-interval-seconds': '1' })).toMatchObject({ pollIntervalMs: 1000 })
    expect(configOf({ 'poll-interval-seconds': '1' }).warnings).toBeUndefined()
  })

  it.each([
    ['upload-versions', '{"101": 5003, "101": 5004}', 'names "101" twice'],
    ['upload-versions', '101=5003\n101=5004', 'names "101" twice'],
    ['runtime-data', '{"user": "a", "nested": {"user": 1}, "user": "b"}', 'names "user" twice'],
    ['runtime-data', '{"\\u0075ser": "a", "user": "b"}', 'names "user" twice'],
    ['runtime-data', '{"__proto__": "x"}', 'names "__proto__", which cannot be sent'],
    ['runtime-data', '__proto__=x', 'names "__proto__", which cannot be sent'],
    ['upload-versions', '{"__proto__": 5}', 'names "__proto__", which cannot be sent']
  ])('refuses %s %j in either form: %s', (input, value, message) => {
    const error = errorOf({ [input]: value })
    expect(error.input).toBe(input)
    expect(error.message).toContain(message)
  })

  it('keeps equal keys at different depths and names with escaped quotes apart', () => {
    expect(configOf({ 'runtime-data': '{"a\\"b": "1", "a": "{\\"a\\": 2}"}' }).runtimeData).toEqual({
      'a"b': '1',
      a: '{"a": 2}'
    })
  })
})

describe('parseConfig: the app build to upload', () => {
  const app = { 'app-file': 'app/build/app-release.apk', 'app-upload': 'Shop Android', 'app-devices': '101,\n 102' }
  const withSha = (inputs: Record<string, string>, sha?: string) => {
    const all: Record<string, string> = { 'api-key': 'key-123', 'test-plan-id': '3071', ...inputs }
    return parseConfig(name => all[name] ?? '', WORKSPACE, sha)
  }

  it('reads the upload by name, the devices, and names the version after the commit, speaking the cloud dialect', () => {
    const config = withSha(app, '9fceb02d0ae598e95dc970b74767f19372d61af8')
    expect(config.app).toEqual({
      file: {
        path: 'app/build/app-release.apk',
        absolutePath: path.join(WORKSPACE, 'app/build/app-release.apk'),
        workspace: WORKSPACE
      },
      upload: { name: 'Shop Android' },
      devices: ['101', '102'],
      create: false,
      versionName: '9fceb02',
      versionNameFrom: 'GITHUB_SHA'
    })
    expect(config.apiDialect).toBe('cloud')
  })

  it('takes digits as the upload id, build-number as the version name, and a project for creating', () => {
    expect(withSha({ ...app, 'app-upload': '62', 'build-number': '1.4.2' }).app).toMatchObject({
      upload: { id: 62 },
      versionName: '1.4.2',
      versionNameFrom: 'build-number'
    })
    expect(withSha({ ...app, 'app-upload-create': 'true', 'app-project-id': '24' }).app).toMatchObject({
      create: true,
      projectId: 24
    })
  })

  it('sends no version name without build-number or GITHUB_SHA', () => {
    expect(withSha(app).app?.versionName).toBeUndefined()
  })

  it.each([
    [{ ...app, 'app-upload': 'Shop\nAndroid' }, 'app-upload', 'must be one line'],
    [{ ...app, 'app-devices': '101, 101' }, 'app-devices', 'names device 101 twice'],
    [{ ...app, 'app-devices': ' , ' }, 'app-devices', 'names no test device'],
    [{ ...app, 'app-project-id': 'shop' }, 'app-project-id', "must be the project's numeric id"],
    [{ ...app, 'app-upload-create': 'yes' }, 'app-upload-create', 'must be true or false'],
    [{ 'app-upload': 'Shop Android' }, 'app-file', 'is needed with app-upload'],
    [{ 'app-upload-create': 'true' }, 'app-upload-create', 'is set, but no app is uploaded']
  ])('refuses %p', (inputs, input, problem) => {
    const error = errorOf({ ...inputs })
    expect(error.input).toBe(input)
    expect(error.message).toContain(problem)
  })
})

describe('test-plan-id with several plans', () => {
  it.each([
    ['2048, 2051', ['2048', '2051']],
    ['2048 2051', ['2048', '2051']],
    ['2048\n2051\n', ['2048', '2051']],
    ['  2048,,\n 2051 , 4096 ', ['2048', '2051', '4096']]
  ])('reads %j as the plans in the order given', (text, ids) => {
    const config = configOf({ 'test-plan-id': text })
    expect(config.testPlanIds).toEqual(ids)
    expect(config.testPlanId).toBe(ids[0])
  })

  it('leaves one plan as it was: no list', () => {
    expect(configOf({ 'test-plan-id': ' 2048\n' })).not.toHaveProperty('testPlanIds')
  })

  it.each([
    [
      '2048, staging',
      /^Input "test-plan-id" must be numeric test plan ids, got "staging"\. Example: test-plan-id: 2048, 2051$/
    ],
    ['2048, 2051, 2048', /^Input "test-plan-id" names test plan 2048 twice\. Example: test-plan-id: 2048, 2051$/],
    ['2048, 02048', /names test plan 02048 twice/],
    ['2048; 2051', /got "2048;"/],
    ['2048: environment-id=17', /got "2048:"/],
    ['2048, 9007199254740993', /must be at most 9007199254740991/],
    [
      Array.from({ length: 21 }, (_, i) => String(1000 + i)).join(', '),
      /^Input "test-plan-id" names 21 test plans; one step runs at most 20 .*Example: test-plan-id: 2048, 2051$/
    ]
  ])('refuses %j before anything is sent', (text, message) => {
    expect(errorOf({ 'test-plan-id': text }).message).toMatch(message)
  })

  it('takes twenty', () => {
    const ids = Array.from({ length: 20 }, (_, i) => String(1000 + i))
    expect(configOf({ 'test-plan-id': ids.join('\n') }).testPlanIds).toEqual(ids)
  })
})
