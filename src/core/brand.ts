// Branded identifiers: a case number, a case id and a village code are all strings,
// but passing one where another is expected is a bug the compiler should catch.

declare const brand: unique symbol
export type Brand<T, B extends string> = T & { readonly [brand]: { readonly [K in B]: true } }

export type CaseId = Brand<string, 'CaseId'>
export type CaseNumber = Brand<string, 'CaseNumber'>
export type DivisionCode = Brand<string, 'DivisionCode'>
export type VillageCode = Brand<DivisionCode, 'VillageCode'>
export type TownshipCode = Brand<DivisionCode, 'TownshipCode'>
export type CountyCode = Brand<DivisionCode, 'CountyCode'>
export type ItemCode = Brand<string, 'ItemCode'>
export type UserId = Brand<string, 'UserId'>
export type DeviceId = Brand<string, 'DeviceId'>
export type BlobHash = Brand<string, 'BlobHash'>
/** A calendar day as 'YYYY-MM-DD' (no time zone: days are counted in China Standard Time). */
export type Day = string

const CASE_ID = /^[0-9a-z]{8,40}$/

export function isCaseId(s: unknown): s is CaseId {
  return typeof s === 'string' && CASE_ID.test(s)
}

const BLOB_HASH = /^[0-9a-f]{64}$/

export function isBlobHash(s: unknown): s is BlobHash {
  return typeof s === 'string' && BLOB_HASH.test(s)
}
