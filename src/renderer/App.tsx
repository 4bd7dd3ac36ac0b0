import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import demoChat from '../../examples/demo-chat.jsonl?raw';
import { onConnected, send } from './client/connection';
import { openGranted, openLocalFile } from './lib/openFile';
import { setViewVisible, ViewGroup } from './lib/viewClock';
import { sessionStore, uiStore } from './state/stores';
import { BudgetView } from './views/BudgetView';
import { CacheView } from './views/CacheView';
import { ChatView } from './views/ChatView';
import { ContextMapView } from './views/ContextMapView';
import { EvictionLogView } from './views/EvictionLogView';
import { FactsView } from './views/FactsView';
import { Header } from './views/Header';
import { Notices } from './views/Notices';
import { PolicyView } from './views/PolicyView';
import { ProfilerView } from './views/ProfilerView';
import { SessionsView } from './views/SessionsView';
import { SettingsDialog } from './views/SettingsDialog';
import { SpansView } from './views/SpansView';
import { TuneView } from './views/TuneView';

const DEMO_FLAG = 'fms-demo-opened';

/** First run: with no session yet, open the bundled demo (a long chat with planted facts). */
function openDemoIfEmpty(): void {
  const { messages } = sessionStore.getState();
  if (messages.length > 0 || localStorage.getItem(DEMO_FLAG)) return;
  localStorage.setItem(DEMO_FLAG, '1');
  send({ type: 'openSessionText', name: 'Demo - planted facts.jsonl', text: demoChat });
}

export function App() {
  const theme = useStore(uiStore, (s) => s.theme);
  const [settings, setSettings] = useState(false);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('fms-theme', theme);
  }, [theme]);

  useEffect(() => onConnected(openDemoIfEmpty), []);

  useEffect(() => {
    if (!window.fms) return;
    return window.fms.onMenu((m) => {
      if (m.action === 'new') send({ type: 'newSession' });
      else if (m.action === 'open') openGranted(m.file.handle);
      else if (m.action === 'save') send({ type: 'saveSession', handle: m.file.handle });
      else if (m.action === 'exportProfile') send({ type: 'exportProfile', format: 'speedscope' });
    });
  }, []);


  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void openLocalFile(file);
  };

  return (
    <div
      className={`app ${dragging ? 'dropzone' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <View name="header">
        <Header onSettings={() => setSettings(true)} />
      </View>
      <main className="main">
        <View name="chat">
          <ChatView />
        </View>
        <div className="inspector">
          <View name="budget">
            <BudgetView />
          </View>
          <View name="policy">
            <PolicyView />
          </View>
          <View name="contextMap">
            <ContextMapView />
          </View>
          <View name="evictionLog">
            <EvictionLogView />
          </View>
          <View name="cache">
            <CacheView />
          </View>
          <View name="facts">
            <FactsView />
          </View>
          <View name="spans">
            <SpansView />
          </View>
          <View name="profiler">
            <ProfilerView />
          </View>
          <View name="sessions">
            <SessionsView />
          </View>
          <View name="tune">
            <TuneView />
          </View>
        </div>
      </main>
      <SettingsDialog open={settings} onClose={() => setSettings(false)} />
      <Notices />
    </div>
  );
}

/**
 * A view: its components follow the stores together, in their own turn of the views' clock
 * (lib/viewClock), less often while it is out of sight (its panel scrolled out of the inspector).
 */
function View({ name, children }: { name: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const panel = box.current?.firstElementChild;
    if (!panel || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => setViewVisible(name, entry.isIntersecting));
    observer.observe(panel);
    return () => {
      observer.disconnect();
      setViewVisible(name, true);
    };
  }, [name]);
  return (
    <div ref={box} style={{ display: 'contents' }}>
      <ViewGroup.Provider value={name}>{children}</ViewGroup.Provider>
    </div>
  );
}
