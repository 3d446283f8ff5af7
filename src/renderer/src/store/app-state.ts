import type { StateCreator } from 'zustand/vanilla';
import type { AltgenBridge } from '../../../shared/ipc-contract';
import type { AppInfoSlice } from './app-info-slice';
import type { BatchSlice } from './batch-slice';
import type { DiscoverySlice } from './discovery-slice';
import type { HistorySlice } from './history-slice';
import type { QueueSlice } from './queue-slice';
import type { ReviewSlice } from './review-slice';
import type { SettingsSlice } from './settings-slice';
import type { UiSlice } from './ui-slice';

/** The renderer's one store: a projection of main's state plus what the screens show. */
export type AppState = AppInfoSlice & DiscoverySlice & BatchSlice & HistorySlice & SettingsSlice & ReviewSlice & UiSlice & QueueSlice;

/** What every slice gets: the bridge to main and a clock (injected so tests control time). */
export interface SliceContext {
  readonly bridge: AltgenBridge;
  readonly now: () => number;
}

export type SliceCreator<T> = (context: SliceContext) => StateCreator<AppState, [], [], T>;
