// The administration screens' lists: a scrolling table with one header row, and the notice above it
// that says what the last action did.
import type { ComponentChildren } from 'preact'

export function AdminTable({ testid, head, children }: { testid: string; head: ComponentChildren[]; children: ComponentChildren }) {
  return (
    <div class="table-scroll">
      <table class="admin-table" data-testid={testid}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}

export function AdminNotice({ testid, message }: { testid: string; message: string | null | undefined }) {
  if (!message) return null
  return (
    <p class="notice" role="status" data-testid={testid}>
      {message}
    </p>
  )
}
