import { createContext } from 'react';
import type { ReactNode } from 'react';
import type { Engine } from './engine.ts';

export const EngineContext = createContext<Engine | null>(null);

export function EngineProvider({ engine, children }: { engine: Engine; children: ReactNode }) {
  return <EngineContext.Provider value={engine}>{children}</EngineContext.Provider>;
}
