import { useEffect } from 'react';
import { useStore } from 'zustand';
import { dismissNotice, sessionStore } from '../state/stores';

/** Errors and notes from the engine, newest last; info notes fade after a while, errors stay. */
export function Notices() {
  const notices = useStore(sessionStore, (s) => s.notices);
  useEffect(() => {
    const timers = notices.filter((n) => n.kind === 'info').map((n) => setTimeout(() => dismissNotice(n.id), 8000));
    return () => timers.forEach(clearTimeout);
  }, [notices]);
  return (
    <div className="notices" aria-live="polite" aria-label="Notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span style={{ flex: 1 }}>{n.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismissNotice(n.id)} style={{ padding: '0 6px' }}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
