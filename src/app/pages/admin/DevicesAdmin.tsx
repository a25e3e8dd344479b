// Enrolled devices of the county. Revoking (a lost tablet) calls POST /api/devices/:id/revoke,
// the endpoint of the device-revocation work; until that is on the server the call is refused.
import { useState } from 'preact/hooks'
import { useLoad } from '../../hooks'
import { t } from '../../i18n'
import { adminCall, fmtTime } from './api'
import { AdminNotice, AdminTable } from './AdminTable'

interface DeviceRow {
  id: string
  label: string
  villageCode: string
  deviceNumber: number
  account: { username: string; displayName: string }
  enrolledAt: string
  firstSyncAt: string | null
  lastSyncAt: string | null
  revokedAt: string | null
  /** When the revoked device reported that it erased its data. */
  erasedAt?: string | null
  appVersion?: string | null
  unsynced?: number | null
}

export function DevicesAdmin() {
  const { value, reload } = useLoad(() => adminCall<{ devices: DeviceRow[] }>('GET', '/api/admin/devices'), [])
  const [message, setMessage] = useState<string | null>(null)
  const devices = value?.ok ? value.data.devices : []

  async function revoke(d: DeviceRow) {
    if (!confirm(t('devices.confirmRevoke', { label: `${d.villageCode}-${d.deviceNumber}` }))) return
    const r = await adminCall('POST', `/api/devices/${encodeURIComponent(d.id)}/revoke`)
    setMessage(r.ok ? t('devices.revokeDone') : t('admin.failed', { message: r.message }))
    reload()
  }

  return (
    <div class="admin-devices">
      <AdminNotice testid="devices-message" message={message} />
      {value && !value.ok && <p class="error">{t('admin.failed', { message: value.message })}</p>}
      {value?.ok && devices.length === 0 && <p class="muted">{t('admin.none')}</p>}
      <AdminTable testid="devices-table" head={[t('devices.device'), t('devices.account'), t('devices.enrolled'), t('devices.firstSync'), t('devices.lastSync'), t('devices.appVersion'), t('devices.unsynced'), null]}>
        {devices.map((d) => (
          <tr key={d.id} class={d.revokedAt ? 'muted' : ''}>
            <td class="mono">
              {d.villageCode}-{d.deviceNumber}
            </td>
            <td>
              {d.account.displayName} <span class="mono muted">{d.account.username}</span>
            </td>
            <td>{fmtTime(d.enrolledAt)}</td>
            <td>{d.firstSyncAt ? fmtTime(d.firstSyncAt) : t('devices.never')}</td>
            <td>{d.lastSyncAt ? fmtTime(d.lastSyncAt) : t('devices.never')}</td>
            <td>{d.appVersion ?? t('devices.unknown')}</td>
            <td class={d.unsynced ? 'unsynced-some' : ''} data-testid="device-unsynced">{d.unsynced ?? t('devices.unknown')}</td>
            <td class="actions">
              {d.revokedAt ? (
                <>
                  <span class="badge">{t('devices.revoked')}</span>{' '}
                  <span class="muted" data-testid={`erased-${d.villageCode}-${d.deviceNumber}`}>
                    {d.erasedAt ? t('devices.erased', { time: fmtTime(d.erasedAt) }) : t('devices.notErased')}
                  </span>
                </>
              ) : (
                <button type="button" class="link danger" data-testid={`revoke-${d.villageCode}-${d.deviceNumber}`} onClick={() => void revoke(d)}>
                  {t('devices.revoke')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  )
}
