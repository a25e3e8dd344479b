// One row of the audit trail as the administration API sends it and the audit screen reads it.

export interface AuditRowView {
  id: number
  /** ISO time of the action. */
  at: string
  caseId: string | null
  caseNumber: string | null
  user: { id: string; username: string | null; displayName: string | null }
  deviceId: string
  action: string
  detail: unknown
}

/** A page of the audit trail, newest first; `more` when older rows remain. */
export interface AuditPage {
  rows: AuditRowView[]
  more: boolean
}
