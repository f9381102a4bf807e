/**
 * Where a finding stands against the follow-up register (`analyze --register`): seen for the first time, a
 * repeat (the same employee and rule in an earlier month), or already judged (the same finding has a verdict,
 * as when a month is analysed again). The worklists and the report show it; without a register they do not
 * change at all.
 */
export type HistoryMark = 'new' | 'repeat' | 'already judged';

export interface FindingHistory {
  mark: HistoryMark;
  /** For an already judged finding: its verdict, which the worklist shows filled in. */
  verdict?: { oordeel: string; toelichting: string | null };
}

/** Finding id → its history. */
export type History = ReadonlyMap<string, FindingHistory>;

export const HISTORY_LABELS: Record<'nl' | 'en', Record<HistoryMark, string>> = {
  nl: { new: 'nieuw', repeat: 'herhaling', 'already judged': 'al beoordeeld' },
  en: { new: 'new', repeat: 'repeat', 'already judged': 'already judged' },
};
