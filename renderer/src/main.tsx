import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/app.css';
import { App } from './App.tsx';
import { selectBridge } from './bridge/select-bridge.ts';
import { createEngine } from './query/engine.ts';
import { EngineProvider } from './query/EngineProvider.tsx';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const root = createRoot(container);

try {
  const { bridge, connection, transport } = selectBridge();
  const engine = createEngine(bridge, connection, { transport });
  root.render(
    <StrictMode>
      <EngineProvider engine={engine}>
        <App />
      </EngineProvider>
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <div className="fatal" role="alert">
      <h1>Podbay cannot reach its engine</h1>
      <p>{error instanceof Error ? error.message : String(error)}</p>
      <p>Start it with <code>npm start</code> or <code>podbay serve</code> and open the address it prints.</p>
    </div>,
  );
}
