/**
 * `reportHeightToParent` with a fake parent window, fake elements and
 * hand-driven `ResizeObserver` and `MutationObserver`, so each change is one
 * call. The real thing, in an iframe on another origin, is covered by
 * `tests/browser/embed_test.ts`.
 */
import assert from "node:assert/strict";
import {
  type HeightMessage,
  neededHeight,
  reportHeightToParent,
} from "./embed_height.ts";

/** A ResizeObserver whose callback the test fires by hand. */
class FakeResizeObserver {
  static current: FakeResizeObserver | null = null;
  observed = new Set<Element>();
  disconnected = false;
  constructor(readonly callback: () => void) {
    FakeResizeObserver.current = this;
  }
  observe(element: Element) {
    this.observed.add(element);
  }
  unobserve(element: Element) {
    this.observed.delete(element);
  }
  disconnect() {
    this.disconnected = true;
  }
}

/** A MutationObserver whose callback the test fires by hand. */
class FakeMutationObserver {
  static current: FakeMutationObserver | null = null;
  disconnected = false;
  constructor(readonly callback: () => void) {
    FakeMutationObserver.current = this;
  }
  observe() {}
  disconnect() {
    this.disconnected = true;
  }
}

interface FakeBox {
  top?: number;
  height?: number;
  bottom?: number;
  isConnected?: boolean;
}

/** An element with a box, and windows (`overlays`) inside it. */
function fakeRoot(box: FakeBox, overlays: Element[] = []): Element {
  return {
    getBoundingClientRect: () => ({ top: 0, ...box }) as DOMRect,
    querySelectorAll: () => overlays.filter((o) => o.isConnected),
  } as unknown as Element;
}

function fakeOverlay(box: FakeBox): Element {
  return {
    get isConnected() {
      return box.isConnected ?? true;
    },
    getBoundingClientRect: () => box as DOMRect,
  } as unknown as Element;
}

function fakeParent(): { window: Window; messages: [unknown, string][] } {
  const messages: [unknown, string][] = [];
  const window = {
    postMessage: (message: unknown, targetOrigin: string) =>
      messages.push([message, targetOrigin]),
  } as unknown as Window;
  return { window, messages };
}

function withFakeObservers(fn: () => void) {
  const { ResizeObserver, MutationObserver } = globalThis;
  globalThis.ResizeObserver =
    FakeResizeObserver as unknown as typeof ResizeObserver;
  globalThis.MutationObserver =
    FakeMutationObserver as unknown as typeof MutationObserver;
  try {
    fn();
  } finally {
    Object.assign(globalThis, { ResizeObserver, MutationObserver });
    FakeResizeObserver.current = null;
    FakeMutationObserver.current = null;
  }
}

Deno.test("neededHeight: the content's height, or down to an open window's bottom and a margin", () => {
  assert.equal(neededHeight(fakeRoot({ height: 400.2 }), "*"), 401);
  const window = fakeOverlay({ bottom: 300 });
  assert.equal(neededHeight(fakeRoot({ height: 400 }, [window]), "*"), 400);
  const below = fakeOverlay({ bottom: 700 });
  assert.equal(neededHeight(fakeRoot({ height: 400 }, [below]), "*"), 712);
  // Measured from the root's top, wherever the page is scrolled.
  assert.equal(
    neededHeight(fakeRoot({ top: -100, height: 400 }, [below]), "*"),
    812,
  );
});

Deno.test("reportHeightToParent reports at once, then each new height, rounded up", () => {
  withFakeObservers(() => {
    const box = { height: 400.2 };
    const root = fakeRoot(box);
    const parent = fakeParent();
    const stop = reportHeightToParent(parent.window, root);
    const observer = FakeResizeObserver.current!;
    assert.deepEqual([...observer.observed], [root]);

    observer.callback(); // same height: nothing new
    box.height = 512;
    observer.callback();
    box.height = 512.4;
    observer.callback();

    const expected: [HeightMessage, string][] = [
      [{ type: "tack:height", height: 401 }, "*"],
      [{ type: "tack:height", height: 512 }, "*"],
      [{ type: "tack:height", height: 513 }, "*"],
    ];
    assert.deepEqual(parent.messages, expected);
    stop();
    assert.equal(observer.disconnected, true);
    assert.equal(FakeMutationObserver.current!.disconnected, true);
  });
});

Deno.test("reportHeightToParent grows the frame for a window while it is open", () => {
  withFakeObservers(() => {
    const window = { bottom: 600, isConnected: false };
    const overlay = fakeOverlay(window);
    const root = fakeRoot({ height: 400 }, [overlay]);
    const parent = fakeParent();
    const stop = reportHeightToParent(parent.window, root, "[role=dialog]");
    const resizes = FakeResizeObserver.current!;
    const mutations = FakeMutationObserver.current!;

    window.isConnected = true; // a window opens below the content
    mutations.callback();
    assert.ok(resizes.observed.has(overlay));
    window.bottom = 650; // a comment arrives
    resizes.callback();
    window.isConnected = false; // it closes
    mutations.callback();
    assert.equal(resizes.observed.has(overlay), false);

    assert.deepEqual(parent.messages.map(([message]) => message), [
      { type: "tack:height", height: 400 },
      { type: "tack:height", height: 612 },
      { type: "tack:height", height: 662 },
      { type: "tack:height", height: 400 },
    ]);
    stop();
  });
});

Deno.test("reportHeightToParent does nothing without a parent or at the top", () => {
  withFakeObservers(() => {
    const root = fakeRoot({ height: 100 });
    reportHeightToParent(null, root)();
    // At the top level a window is its own parent.
    reportHeightToParent(globalThis as unknown as Window, root)();
    assert.equal(FakeResizeObserver.current, null);
  });
});
