/**
 * The pictures in docs/images show what the action writes today. `npm run pictures` records the sha256 of the
 * markdown each picture was made from (docs/images/pictures.json); this makes the same pages from the same runs of
 * dist/index.js (scripts/picture-pages.ts, no browser needed) and compares. A change to the summary or the comment
 * fails here until the pictures are made again and looked at.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  PICTURES_DIR,
  PICTURES_RECORD,
  PicturePage,
  picturePages,
  readPictureRecord,
  sha256,
  stalePictures
} from '../../scripts/picture-pages.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const recorded = readPictureRecord(path.join(ROOT, PICTURES_RECORD))
const committedPng = (png: string): string | undefined => {
  const file = path.join(ROOT, PICTURES_DIR, png)
  return existsSync(file) ? sha256(readFileSync(file)) : undefined
}

describe('the pictures in docs/images', () => {
  let pages: PicturePage[]
  beforeAll(async () => {
    pages = await picturePages()
  })

  it('are made from the markdown the code writes today, each PNG the one recorded with it (else: npm run pictures)', () => {
    expect(stalePictures(recorded, pages, committedPng)).toEqual([])
  })

  it('are every PNG in docs/images, each with its record', () => {
    const pngs = readdirSync(path.join(ROOT, PICTURES_DIR)).filter(name => name.endsWith('.png'))
    expect(pngs.sort()).toEqual(pages.map(page => page.png).sort())
  })
})

describe('stalePictures', () => {
  const X = '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881' // sha256 of "x"
  const page = (png: string, markdown: string): PicturePage => ({ png, title: png, markdown })
  const record = { 'a.png': { markdown: X, png: 'png-hash' } }
  const todo = 'run `npm run pictures`, look at the pictures, and commit them with docs/images/pictures.json'

  it('says nothing when each picture was made from the markdown of today, and is the PNG recorded', () => {
    expect(stalePictures(record, [page('a.png', 'x')], () => 'png-hash')).toEqual([])
  })

  it('names a picture made from other markdown, and one whose PNG is not the one recorded or is missing', () => {
    expect(stalePictures(record, [page('a.png', 'y')], () => 'png-hash')).toEqual([
      `a.png: made from other markdown than the code writes today: ${todo}`
    ])
    expect(stalePictures(record, [page('a.png', 'x')], () => 'another')).toEqual([
      `a.png: the PNG is not the one npm run pictures wrote with this record: ${todo}`
    ])
    expect(stalePictures(record, [page('a.png', 'x')], () => undefined)).toEqual([
      `a.png: recorded, but the PNG is missing: ${todo}`
    ])
  })

  it('names a picture never recorded, and a record no page makes', () => {
    expect(stalePictures({}, [page('b.png', 'x')], () => 'png-hash')).toEqual([`b.png: not recorded: ${todo}`])
    expect(stalePictures(record, [], () => 'png-hash')).toEqual([
      'a.png: recorded, but no page makes it any more: remove it and its record'
    ])
  })
})
