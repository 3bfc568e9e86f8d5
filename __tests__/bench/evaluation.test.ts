import { describe, expect, it } from '@jest/globals'
import { builtinNames, instrument } from '../../bench/evaluation.js'

// ncc's require, as 0.45 writes it and as older versions did.
const NCC_045 =
  'var t={7:e=>{e.exports=1}};var n={};function __nccwpck_require__(e){var r=n[e];if(r!==undefined){return r.exports}' +
  'var o=n[e]={exports:{}};var s=true;try{t[e].call(o.exports,o,o.exports,__nccwpck_require__);s=false}finally{if(s)delete n[e]}return o.exports}'
const NCC_OLDER =
  'var t={7:e=>{e.exports=1}};var n={};function __nccwpck_require__(e){var r=n[e];if(r!==undefined){return r.exports}' +
  'var o=n[e]={exports:{}};var s=true;try{t[e](o,o.exports,__nccwpck_require__);s=false}finally{if(s)delete n[e]}return o.exports}'

describe('instrument', () => {
  it.each([
    ['ncc 0.45: t[e].call(o.exports, …)', NCC_045, 't[e].call(o.exports,o,o.exports,__nccwpck_require__)'],
    ['older ncc: t[e](o, …)', NCC_OLDER, 't[e](o,o.exports,__nccwpck_require__)']
  ])('times each factory call of %s', (_, bundle, call) => {
    const instrumented = instrument(bundle, '/tmp/out.json') as string
    expect(instrumented).toContain(`__benchTime(e,()=>${call})`)
    expect(instrumented).toContain("const { writeFileSync: __benchWrite } = require('node:fs')")
    expect(instrumented.trimEnd().endsWith(';__bench.evaluatedMs = performance.now()')).toBe(true)
  })

  it('gives up, rather than print nothing, when the call is in a form it does not know', () => {
    expect(instrument(NCC_045.replace('.call(o.exports,', '.apply(o.exports,['), '/tmp/out.json')).toBeUndefined()
  })
})

describe('builtinNames', () => {
  it.each([
    [
      'CommonJS (as scripts/bundle.ts builds)',
      'var e={9896:e=>{"use strict";e.exports=require("fs")},770:(e,t,n)=>{e.exports=n(218)},8611:e=>{"use strict";e.exports=require("http")}}'
    ],
    [
      'an ES module (ncc build on a "type": "module" package)',
      'var t={9896:t=>{t.exports=e(import.meta.url)("fs")},770:(e,t,n)=>{e.exports=n(218)},8611:t=>{t.exports=e(import.meta.url)("http")}}'
    ]
  ])('names the factories that only require a node built-in, in %s', (_, bundle) => {
    expect([...builtinNames(bundle)]).toEqual([
      ['9896', 'built-in "fs"'],
      ['8611', 'built-in "http"']
    ])
  })
})
