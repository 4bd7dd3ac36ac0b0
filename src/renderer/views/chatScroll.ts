import { useEffect, useRef, useState, type RefObject, type UIEvent } from 'react';
import { useStore } from 'zustand';
import type { MessageData } from '../../shared/protocol';
import type { MessageList } from '../../shared/view/appendList.js';
import { uiStore } from '../state/stores';

/** Messages the chat renders at first, and more per "Show earlier". */
export const PAGE = 50;
/**
 * Messages the chat renders while a replay streams them and the list follows the newest: more than
 * fit the list's height (messages are at least ~50 px tall), fewer than a page. A full-speed replay
 * brings a page of new messages every tick, so every rendered row is new each time: the 30 rows
 * above the view cost their render and style on every tick and were never seen. The page comes back
 * when the replay ends (or the user scrolls up).
 */
export const FOLLOW_ROWS = 20;

/**
 * The chat's window of newest messages (`shown` of them): follows the newest message while the user
 * is at the bottom, starts again at the newest of another session, and widens to reach a jump target.
 */
export function useChatWindow(messageList: MessageList, replaying: boolean) {
  const messages = messageList.items;
  const [shown, setShown] = useState(PAGE);
  const list = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const { onScroll, following, stopFollowing } = useFollowNewest(list, content, messages, () => {
    if (shown !== PAGE) setShown(PAGE);
  });
  useJumpToSelected(messageList, shown, setShown, stopFollowing);
  const rows = replaying && following && shown === PAGE ? FOLLOW_ROWS : shown;
  return { list, content, onScroll, start: Math.max(0, messages.length - rows), showMore: () => setShown(shown + PAGE) };
}

/**
 * Follow the newest message while the user is at the bottom: whenever the list's content changes size
 * (new messages, a streamed reply growing, badges appearing on earlier messages), a ResizeObserver
 * scrolls it to the bottom before the frame is painted. Whether the user is at the bottom is updated
 * on scroll, not measured per batch (reading layout on every batch of a fast replay cost ~200 ms), and
 * scroll anchoring is off on the list, so only the user's own scrolling (up from where the follow
 * left the list) can leave the bottom.
 */
function useFollowNewest(list: RefObject<HTMLDivElement | null>, content: RefObject<HTMLDivElement | null>, messages: readonly MessageData[], onNewSession: () => void) {
  const lastLength = useRef(0);
  const atBottom = useRef(true);
  const firstId = messages[0]?.id;
  const sessionKey = useRef(firstId);
  if (sessionKey.current !== firstId || messages.length < lastLength.current) {
    // another session was opened (or the current one re-run): start at its newest messages
    sessionKey.current = firstId;
    atBottom.current = true;
    onNewSession();
  }
  lastLength.current = messages.length;
  /** Where our own last scroll to the bottom left the list. */
  const followedTo = useRef(0);
  useEffect(() => {
    const el = list.current;
    const inner = content.current;
    if (!el || !inner) return;
    const observer = new ResizeObserver(() => {
      if (!atBottom.current) return;
      el.scrollTop = el.scrollHeight;
      followedTo.current = el.scrollTop;
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, [list, content]);
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    // the event of our own scroll arrives a frame later, when more messages may have made the list
    // taller: not above where we scrolled, it is not the user leaving the bottom
    if (atBottom.current && el.scrollTop >= followedTo.current - 1) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  };
  // a jump leaves the bottom: the list widened for it grows above, and following would scroll back down
  const stopFollowing = () => {
    atBottom.current = false;
  };
  return { onScroll, following: atBottom.current, stopFollowing };
}

/**
 * A jump is resolved against the whole list as it is now (the list is live, not the throttled
 * render's length): a window sized on a partial list would lose the message once the rest arrives.
 */
function useJumpToSelected(messageList: MessageList, shown: number, setShown: (n: number) => void, stopFollowing: () => void): void {
  const selected = useStore(uiStore, (s) => s.selectedMessageId);
  const jump = useStore(uiStore, (s) => s.jump);
  const handledJump = useRef(0);
  useEffect(() => {
    if (selected === undefined || jump === 0 || jump === handledJump.current) return;
    handledJump.current = jump;
    const idx = messageList.indexOfId(selected);
    if (idx < 0) return;
    stopFollowing();
    if (idx < Math.max(0, messageList.length - shown)) setShown(messageList.length - idx + 20);
    scrollToWhenShown(`msg-${selected}`, JUMP_FRAMES);
  }, [jump, messageList]);
}

/** Frames a jump waits for its message to be rendered (a widened list renders in a later commit). */
const JUMP_FRAMES = 30;

/** Scrolls the element into the middle of the list once it is rendered, and flashes it (styles.css .jump-flash). */
function scrollToWhenShown(id: string, frames: number): void {
  requestAnimationFrame(() => {
    const el = document.getElementById(id);
    if (!el) {
      if (frames > 1) scrollToWhenShown(id, frames - 1);
      return;
    }
    el.scrollIntoView({ block: 'center' });
    el.classList.remove('jump-flash');
    void el.offsetWidth; // restart the animation when the same message is jumped to again
    el.classList.add('jump-flash');
    el.addEventListener('animationend', () => el.classList.remove('jump-flash'), { once: true });
  });
}
