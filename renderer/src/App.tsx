import { useEffect } from 'react';
import type { MouseEvent } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { TaskTray } from './components/TaskTray.tsx';
import { TopBar } from './components/TopBar.tsx';
import { routeInfo } from './navigation/routes.ts';
import type { RouteInfo } from './navigation/routes.ts';
import { useRoute } from './navigation/use-route.ts';
import { ContainersPage } from './pages/ContainersPage.tsx';
import { EventsPage } from './pages/EventsPage.tsx';
import { ImagesPage } from './pages/ImagesPage.tsx';
import { PodsPage } from './pages/PodsPage.tsx';
import { RegistriesPage } from './pages/RegistriesPage.tsx';
import { SystemPage } from './pages/SystemPage.tsx';
import { VolumesPage } from './pages/VolumesPage.tsx';
import { describeConnection } from './presenters/connection-presenters.ts';
import { engineStatus } from './presenters/system-presenters.ts';
import { useCall } from './query/use-call.ts';
import { useConnection } from './query/use-connection.ts';
import { useEngine } from './query/use-engine.ts';
import { TasksProvider } from './tasks/tasks-context.tsx';

/** Hash routing owns `#…`: the skip link moves focus without changing the hash. */
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Page({ route }: { route: RouteInfo }) {
  switch (route.id) {
    case 'containers':
      return <ContainersPage />;
    case 'pods':
      return <PodsPage />;
    case 'images':
      return <ImagesPage />;
    case 'registries':
      return <RegistriesPage />;
    case 'volumes':
      return <VolumesPage />;
    case 'events':
      return <EventsPage />;
    case 'system':
      return <SystemPage />;
  }
}

export function App() {
  const route = routeInfo(useRoute());
  const { connection: monitor, transport } = useEngine();
  const connection = useConnection();
  const info = useCall('system.info', {});
  const link = describeConnection(connection);

  useEffect(() => {
    document.title = `${route.label} · Podbay`;
  }, [route.label]);

  return (
    <TasksProvider>
      <div className="app">
        <a className="skip-link" href="#main" onClick={skipToContent}>
          Skip to content
        </a>
        <Sidebar
          current={route.id}
          version={info.data?.podbay.version ?? null}
          footer={
            <>
              <span className={`dot dot-${link.tone}`} aria-hidden="true" />
              <span>{transport === 'electron' ? 'Local engine' : `Engine at ${window.location.host}`}</span>
            </>
          }
        />
        <div className="workspace">
          {/* Long operations (pulls) stay visible from every page, beside the engine status. */}
          <div className="topbar-row">
            <TopBar route={route} engine={info.data ? engineStatus(info.data) : null} connection={connection} />
            <TaskTray />
          </div>
          <ConnectionBanner state={connection} monitor={monitor} />
          <main id="main" className="content" tabIndex={-1}>
            <Page route={route} />
          </main>
        </div>
      </div>
    </TasksProvider>
  );
}
