import { useContext, useEffect, useRef, type RefObject } from 'react';
import { offViewClock, onViewClock, ViewGroup } from './viewClock';

type Subscribe = (listener: () => void) => () => void;

/**
 * Draws a canvas outside React state: whenever one of the sources changes (on the views' clock, like
 * every view: in its turn of a tick's frames) or, at most once per animation frame, when the canvas's
 * container resizes, with the container's width. Returns a function that asks for a redraw (a user's zoom or hover: drawn on the
 * next frame).
 */
export function useCanvasFrame(canvas: RefObject<HTMLCanvasElement | null>, draw: (c: HTMLCanvasElement, width: number) => void, sources: readonly Subscribe[]): () => void {
  const latest = useRef(draw);
  latest.current = draw;
  const schedule = useRef<() => void>(() => undefined);
  // drawn in its view's turn of the clock, with the view's other listeners
  const group = useContext(ViewGroup);
  useEffect(() => {
    let frame = 0;
    // the container's width as the ResizeObserver last saw it (read there, where layout is current):
    // reading it while drawing forced a layout of the whole page each frame a batch had changed it
    let width: number | undefined;
    const run = () => {
      frame = 0;
      const c = canvas.current;
      if (c) latest.current(c, (width ??= c.parentElement?.clientWidth ?? 600));
    };
    schedule.current = () => {
      if (!frame) frame = requestAnimationFrame(run);
    };
    // the views' clock runs its listeners in an animation frame, timed against the frame's budget:
    // drawn there and then (a frame later it was outside the budget, beside the next tick's views)
    const fromClock = () => {
      if (frame) cancelAnimationFrame(frame);
      run();
    };
    const fromSource = () => onViewClock(fromClock, group ?? fromClock);
    schedule.current();
    const unsubs = sources.map((subscribe) => subscribe(fromSource));
    const ro = new ResizeObserver(() => {
      width = canvas.current?.parentElement?.clientWidth ?? 600;
      schedule.current();
    });
    if (canvas.current?.parentElement) ro.observe(canvas.current.parentElement);
    return () => {
      cancelAnimationFrame(frame);
      offViewClock(fromClock);
      unsubs.forEach((u) => u());
      ro.disconnect();
    };
  }, []); // sources are module-level stores, fixed for the component's life
  return () => schedule.current();
}

/** Sizes a canvas for the device pixel ratio and returns a cleared context drawing in CSS pixels. */
export function sizeCanvas(c: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  const [w, h] = [Math.floor(width * dpr), Math.floor(height * dpr)];
  const ctx = c.getContext('2d');
  if (c.width === w && c.height === h && typeof ctx?.reset === 'function') {
    // the same size: clear the bitmap and the drawing state in place (a new size reallocates the
    // bitmap and, with a new CSS size, lays the page out again)
    ctx.reset();
  } else {
    c.width = w;
    c.height = h;
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
  }
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
