import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { applyAndInspect } from '../../src/core'

function updateFrom(base: Y.Doc, edit: (d: Y.Doc) => void): Uint8Array {
  const d = new Y.Doc()
  Y.applyUpdate(d, Y.encodeStateAsUpdate(base))
  const sv = Y.encodeStateVector(d)
  edit(d)
  return Y.encodeStateAsUpdate(d, sv)
}

describe('update-inspection', () => {
  it('reports added, updated and deleted keys per root', () => {
    const server = new Y.Doc()
    Y.applyUpdate(server, updateFrom(server, (d) => {
      d.getMap('form').set('a', '1')
      d.getMap('form').set('b', '2')
    }))
    const u = updateFrom(server, (d) => {
      d.getMap('form').set('a', '9')
      d.getMap('form').delete('b')
      d.getMap('notes').set('n1', { text: 'x' })
    })
    const r = applyAndInspect(server, u)
    expect(r.changes).toEqual(
      expect.arrayContaining([
        { root: 'form', key: 'a', action: 'update' },
        { root: 'form', key: 'b', action: 'delete' },
        { root: 'notes', key: 'n1', action: 'add' },
      ]),
    )
    expect(r.changes.length).toBe(3)
    expect(r).toMatchObject({ foreign: false, missingDependencies: false, noop: false })
  })

  it('sees a duplicate delivery as a no-op', () => {
    const server = new Y.Doc()
    const u = updateFrom(server, (d) => d.getMap('form').set('a', '1'))
    applyAndInspect(server, u)
    expect(applyAndInspect(server, u)).toEqual({ changes: [], foreign: false, missingDependencies: false, noop: true })
  })

  it('flags foreign roots and nested shared types', () => {
    const server = new Y.Doc()
    expect(applyAndInspect(server, updateFrom(server, (d) => d.getMap('evil').set('x', 1))).foreign).toBe(true)
    expect(applyAndInspect(server, updateFrom(server, (d) => d.getArray('form').push([1]))).foreign).toBe(true)
    const nested = updateFrom(server, (d) => {
      const m = new Y.Map()
      d.getMap('form').set('n', m)
      m.set('deep', 1)
    })
    expect(applyAndInspect(new Y.Doc(), nested).foreign).toBe(true)
  })

  it('detects an update that depends on state the document lacks', () => {
    const client = new Y.Doc()
    client.getMap('form').set('a', '1')
    const sv = Y.encodeStateVector(client)
    client.getMap('form').set('a', '2')
    const second = Y.encodeStateAsUpdate(client, sv)
    const r = applyAndInspect(new Y.Doc(), second)
    expect(r.missingDependencies).toBe(true)
    expect(r.changes).toEqual([])
  })

  it('throws on bytes that are not an update', () => {
    expect(() => applyAndInspect(new Y.Doc(), new Uint8Array([255, 255, 255, 255, 1, 2, 3]))).toThrow()
  })
})
