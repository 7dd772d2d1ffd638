import { useContext } from 'react';
import { EngineContext } from './EngineProvider.tsx';
import type { Engine } from './engine.ts';

export function useEngine(): Engine {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine outside <EngineProvider>');
  return engine;
}
