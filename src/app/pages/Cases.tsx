import { useCallback, useEffect, useState } from 'preact/hooks'
import { ListFilters, type CaseListRow, type CaseQuery, type ListFilter } from '../../store/case-list'
import { VirtualList } from '../components/VirtualList'
import { getDevice } from '../device'
import { useLoad } from '../hooks'
import { t, tk } from '../i18n'
import { navigate } from '../router'
import { shownStatus } from '../case-status'
import { itemName } from '../catalogue-labels'

// One status per row: a take-in waiting to sync says so itself, without a second 待同步 badge.
function RowStatus({ row }: { row: CaseListRow }) {
  const shown = shownStatus(row.status, row.pendingCommand)
  const ownWords = shown === 'taken_in' || shown === 'discarded'
  return (
    <>
      <span class={`badge status-${shown}`} data-testid="row-status">
        {tk(`status.${shown}`)}
      </span>
      {!ownWords && (row.unsynced > 0 || row.pendingCommand) && <span class="badge pending">{t('list.pending')}</span>}
    </>
  )
}

export function Cases({ canCreate = true }: { canCreate?: boolean }) {
  const [query, setQuery] = useState<CaseQuery>({ filter: 'all', search: '', sort: 'deadline' })
  const [version, setVersion] = useState(0)
  const { value: counts } = useLoad(() => getDevice().caseCounts(), [version])
  // Item names in the chosen language (the list rows keep the Chinese name given at creation).
  const { value: items } = useLoad(async () => new Map((await getDevice().catalogue()).map((i) => [i.code as string, i])), [])
  const { value: total } = useLoad(async () => (await getDevice().listCases(query, 0, 0)).total, [query, version])
  // The list refreshes when sync or edits change cases.
  useEffect(() => {
    const timer = setInterval(() => setVersion((v) => v + 1), 5000)
    return () => clearInterval(timer)
  }, [])
  const fetchRows = useCallback(async (offset: number, limit: number) => (await getDevice().listCases(query, offset, limit)).rows, [query, version])

  return (
    <section class="cases">
      <div class="toolbar">
        <input type="search" data-testid="case-search" placeholder={t('list.search')} aria-label={t('list.search')} value={query.search} onInput={(e) => setQuery({ ...query, search: e.currentTarget.value })} />
        <label>
          {t('list.sort')}
          <select value={query.sort} onChange={(e) => setQuery({ ...query, sort: e.currentTarget.value as CaseQuery['sort'] })}>
            <option value="deadline">{t('list.sort.deadline')}</option>
            <option value="updated">{t('list.sort.updated')}</option>
          </select>
        </label>
        {canCreate && (
          <button type="button" data-testid="new-case" onClick={() => navigate('/new')}>
            {t('nav.newCase')}
          </button>
        )}
      </div>
      <div class="filters" role="tablist" aria-label={t('nav.cases')}>
        {ListFilters.map((f: ListFilter) => (
          <button type="button" role="tab" key={f} aria-selected={query.filter === f} class={query.filter === f ? 'chip active' : 'chip'} data-testid={`filter-${f}`} onClick={() => setQuery({ ...query, filter: f })}>
            {tk(`filter.${f}`)} <span class="count">{counts?.[f] ?? ''}</span>
          </button>
        ))}
      </div>
      <p class="muted">{t('list.count', { count: total ?? 0 })}</p>
      {total === 0 ? (
        <p class="empty">{t('list.empty')}</p>
      ) : (
        <VirtualList<CaseListRow>
          total={total ?? 0}
          rowHeight={68}
          queryKey={`${JSON.stringify(query)}#${version}`}
          fetch={fetchRows}
          label={t('nav.cases')}
          render={(row) => (
            <a class="case-row" data-testid="case-row" href={`#/case/${row.id}`}>
              <span class="main">
                {row.applicant ? <strong>{row.applicant}</strong> : <strong class="muted" data-testid="no-applicant">{t('case.noApplicant')}</strong>} <span class="muted">{row.applicantId}</span>
                <span class="item">{items?.get(row.item) ? itemName(items.get(row.item)!) : row.itemName}</span>
              </span>
              <span class="side">
                <RowStatus row={row} />
                {row.deadline && <span class="muted">{t('list.deadline', { date: row.deadline })}</span>}
                <span class="mono muted" data-testid="case-number">
                  {row.number}
                </span>
              </span>
            </a>
          )}
        />
      )}
    </section>
  )
}
