// Names from the catalogue in the chosen language: the English name where the catalogue has one,
// else the Chinese one (a catalogue without translations still reads in Chinese).
import type { FieldOption, FieldSpec, MaterialSpec, ServiceItem } from '../core/catalogue'
import { getLocale } from './i18n'

const en = () => getLocale() === 'en'

export const itemName = (i: Pick<ServiceItem, 'name' | 'nameEn'>): string => (en() && i.nameEn) || i.name
export const fieldLabel = (f: Pick<FieldSpec, 'label' | 'labelEn'>): string => (en() && f.labelEn) || f.label
export const materialName = (m: Pick<MaterialSpec, 'name' | 'labelEn'>): string => (en() && m.labelEn) || m.name
export const optionLabel = (o: FieldOption): string => (en() && o.labelEn) || o.label
