import { createContext, useContext, useMemo } from 'react';
import type { Currency } from '../contract.ts';
import { formatMoney } from '../money.ts';
import { en, type Catalogue } from './en.ts';

// English until a second catalogue exists; a provider of this context would switch language.
const CatalogueContext = createContext<Catalogue>(en);

/** The strings of the kiosk's language: `const t = useT(); t.idle.tapToStart`. */
export function useT(): Catalogue {
  return useContext(CatalogueContext);
}

export interface Formatters {
  money(minor: number, currency: Currency): string;
  dateTime(iso: string): string;
}

/** Money and dates in the catalogue's locale. */
export function useFormat(): Formatters {
  const { locale } = useT();
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      money: (minor, currency) => formatMoney(minor, currency, locale),
      dateTime: (iso) => formatDate(dateTime, iso),
    };
  }, [locale]);
}

function formatDate(format: Intl.DateTimeFormat, iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}
